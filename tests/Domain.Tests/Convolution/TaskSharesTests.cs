using System.Buffers;
using System.Collections.Concurrent;
using ConvService.Domain.Convolution.Kernels;

namespace ConvService.Domain.Tests.Convolution;

/// <summary>How a parallel section's tasks are shared out (<see cref="TaskShares"/>), and each worker's scratch (<see cref="WorkerScratch{T}"/>).</summary>
public class TaskSharesTests
{
    [Theory]
    [InlineData(0, 2)]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    [InlineData(7, 2)]
    [InlineData(64, 3)]
    [InlineData(1000, 8)]
    public async Task EveryTaskIsClaimedOnce_ByWorkersRunningAtOnce(int count, int workers)
    {
        for (var call = 0; call < 50; call++)
        {
            var shares = new TaskShares(count, workers);
            var claimed = new ConcurrentBag<int>();
            using var start = new Barrier(workers);
            var threads = Enumerable.Range(0, workers).Select(worker => Task.Run(() =>
            {
                start.SignalAndWait();
                var share = 0;
                while (shares.TryClaim(worker, ref share, out var task))
                    claimed.Add(task);
            })).ToArray();
            await Task.WhenAll(threads).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(Enumerable.Range(0, count), claimed.Order());
        }
    }

    [Fact]
    public void AWorkerTakesItsOwnShareInOrder_ThenWhatIsLeftOfTheOthers()
    {
        var shares = new TaskShares(10, 3);
        var (share, taken) = (0, new List<int>());
        // Worker 0 has already taken two of its own, and worker 2 one of its own.
        var (zero, two) = (0, 0);
        Assert.True(shares.TryClaim(0, ref zero, out var first));
        Assert.True(shares.TryClaim(0, ref zero, out var second));
        Assert.True(shares.TryClaim(2, ref two, out var third));
        Assert.Equal([0, 1, 6], new[] { first, second, third });
        while (shares.TryClaim(1, ref share, out var task))
            taken.Add(task);
        // Its own share (3-5), then worker 2's rest (7-9), then worker 0's rest (2).
        Assert.Equal([3, 4, 5, 7, 8, 9, 2], taken);
        Assert.False(shares.TryClaim(0, ref zero, out _));
        Assert.False(shares.TryClaim(2, ref two, out _));
    }

    [Fact]
    public void EachWorkerGetsTheSameBufferOnTheNextCall_FromAStackOfArrays()
    {
        var pool = ArrayPool<float>.Create(1 << 20, 8);
        float[][] Buffers()
        {
            using var scratch = new WorkerScratch<float>(3, 1000, pool);
            using var other = new WorkerScratch<float>(3, 1000, pool);
            return [scratch[0], scratch[1], scratch[2], other[0], other[1], other[2]];
        }
        var first = Buffers();
        var second = Buffers();
        Assert.All(first, buffer => Assert.True(buffer.Length >= 1000));
        Assert.Equal(6, first.Distinct().Count());
        for (var i = 0; i < first.Length; i++)
            Assert.Same(first[i], second[i]);
    }
}
