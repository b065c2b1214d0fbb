using ConvService.Domain.Convolution.Kernels;

namespace ConvService.Domain.Tests.Convolution;

/// <summary>
/// The kernels' helper threads. Each test builds its own set, so the counts do not depend on the machine's cores, and
/// each waits a bounded time: a lost wake-up fails the test instead of hanging the run.
/// </summary>
public class KernelThreadsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task EveryIndexRunsOnce_OverManyCalls_SomeAfterTheHelpersHaveSlept()
    {
        var threads = new KernelThreads(helpers: 2);
        await Task.Run(() =>
        {
            for (var call = 0; call < 400; call++)
            {
                var runs = new int[3];
                Assert.True(threads.TryRun(3, index => Interlocked.Increment(ref runs[index])));
                Assert.Equal([1, 1, 1], runs);
                // Every tenth call comes after the helpers have gone back to sleep (they stay awake 200 µs).
                if (call % 10 == 0)
                    Thread.Sleep(2);
            }
        }).WaitAsync(Patience);
    }

    [Fact]
    public async Task AHelperRunsAnIndexBesideTheCaller_AwakeOrWokenFromSleep()
    {
        var threads = new KernelThreads(helpers: 1);
        // Straight after start, again at once (the helper still awake), and twice after it has gone back to sleep.
        foreach (var pause in new[] { 0, 0, 5, 20 })
        {
            Thread.Sleep(pause);
            using var started = new CountdownEvent(2);
            var threadIds = new int[2];
            await Task.Run(() => Assert.True(threads.TryRun(2, index =>
            {
                threadIds[index] = Environment.CurrentManagedThreadId;
                // Both indices must be running at once for either to get past here: the caller cannot take both.
                started.Signal();
                Assert.True(started.Wait(Patience));
            }))).WaitAsync(Patience);
            Assert.NotEqual(threadIds[0], threadIds[1]);
        }
    }

    [Fact]
    public async Task ASecondCaller_IsTurnedAway_WhileTheFirstHoldsTheThreads()
    {
        var threads = new KernelThreads(helpers: 1);
        using var holding = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var first = Task.Run(() => threads.TryRun(2, index =>
        {
            if (index == 0)
            {
                holding.Set();
                release.Wait(Patience);
            }
        }));
        Assert.True(holding.Wait(Patience));
        var ran = false;
        Assert.False(threads.TryRun(2, _ => ran = true));
        Assert.False(ran);
        release.Set();
        Assert.True(await first.WaitAsync(Patience));
        Assert.True(threads.TryRun(2, _ => ran = true));
        Assert.True(ran);
    }

    [Fact]
    public void MoreWorkersThanThreads_AreTurnedAway()
    {
        var threads = new KernelThreads(helpers: 1);
        var runs = 0;
        Assert.False(threads.TryRun(3, _ => Interlocked.Increment(ref runs)));
        Assert.Equal(0, runs);
    }

    [Fact]
    public async Task AFailingIndex_ReachesTheCaller_AndTheThreadsServeTheNextCall()
    {
        var threads = new KernelThreads(helpers: 1);
        var runs = new int[2];
        var error = await Task.Run(() => Assert.Throws<InvalidOperationException>(() => threads.TryRun(2, index =>
        {
            Interlocked.Increment(ref runs[index]);
            if (index == 1)
                throw new InvalidOperationException("index 1 failed");
        }))).WaitAsync(Patience);
        Assert.Equal("index 1 failed", error.Message);
        Assert.Equal([1, 1], runs);
        var after = new int[2];
        Assert.True(await Task.Run(() => threads.TryRun(2, index => Interlocked.Increment(ref after[index]))).WaitAsync(Patience));
        Assert.Equal([1, 1], after);
    }
}
