using System.Collections.Concurrent;

namespace ConvService.Api.Hosting;

/// <summary>
/// The threads expensive computations start on: <see cref="ServiceLimits.ComputeThreads"/> of them (all processors but
/// one by default), the service's own rather than the thread pool's, so no computation waits for the pool to grow and
/// at most that many computations run at once. A kernel's parallel loop (the Domain's <c>Parallel.For</c>, with its
/// default options) hands its other workers to the thread pool, not to these threads: one large computation alone
/// uses every core, and the cheap lane, which computes inline on pool threads, shares the cores with those workers
/// through the operating system's scheduler (measured in <c>scripts/mixed-load.sh</c>; README, "Sharing one
/// deployment"). Before these threads, two large convolutions held four pool threads and the pool was slow to add
/// more, so a seed request could wait for a thread for as long as a large convolution took.
/// </summary>
public sealed class ComputeThreads : TaskScheduler, IDisposable
{
    [ThreadStatic]
    private static bool t_isComputeThread;

    private readonly BlockingCollection<Task> _queue = [];
    private readonly Thread[] _threads;

    public ComputeThreads(int count)
    {
        _threads = new Thread[count];
        for (var i = 0; i < count; i++)
        {
            _threads[i] = new Thread(Work) { IsBackground = true, Name = $"compute {i}" };
            _threads[i].Start();
        }
    }

    public override int MaximumConcurrencyLevel => _threads.Length;

    /// <summary>
    /// Runs <paramref name="compute"/> on a compute thread and resumes the caller on the thread pool, so that the
    /// answer is written there and the compute thread goes on to the next computation.
    /// </summary>
    public async ValueTask<T> RunAsync<T>(Func<ValueTask<T>> compute)
    {
        var task = Task.Factory.StartNew(() => compute().AsTask(), CancellationToken.None, TaskCreationOptions.DenyChildAttach, this).Unwrap();
        return await task.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
    }

    protected override void QueueTask(Task task) => _queue.Add(task);

    // A compute thread waiting on a parallel loop's worker runs it itself rather than wait for a free thread.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => t_isComputeThread && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();

    private void Work()
    {
        t_isComputeThread = true;
        foreach (var task in _queue.GetConsumingEnumerable())
            TryExecuteTask(task);
    }

    public void Dispose() => _queue.CompleteAdding();
}
