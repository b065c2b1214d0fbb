namespace ConvService.Domain.Convolution.Kernels;

/// <summary>When to use more than the calling thread: only when each worker gets enough work to repay the hand-off.</summary>
internal static class ParallelSplit
{
    /// <summary>
    /// Multiply-adds each worker must get: about 40 µs of single-core work at this machine's ~50 GMAC/s, against a few µs
    /// for Parallel.For to wake a second thread. The seed's 5×5 request (81) stays on the calling thread.
    /// </summary>
    public const long MultiplyAddsPerWorker = 1L << 21;

    public static int Workers(long multiplyAdds) =>
        (int)Math.Clamp(multiplyAdds / MultiplyAddsPerWorker, 1, Environment.ProcessorCount);

    /// <summary>
    /// Elements of memory-bound work (packing, padding, clearing) each worker must get: about 50 µs of copying, against
    /// a few µs for Parallel.For to wake a second thread.
    /// </summary>
    public const long ElementsPerWorker = 1L << 18;

    /// <summary>
    /// Runs <paramref name="range"/>(first, end) over [0, <paramref name="count"/>) cut into near-equal ranges, one per
    /// worker, with as many workers as <paramref name="elements"/> elements of memory-bound work repay.
    /// </summary>
    public static void Ranges(int count, long elements, Action<int, int> range)
    {
        var workers = (int)Math.Clamp(elements / ElementsPerWorker, 1, Math.Min(count, Environment.ProcessorCount));
        Run(workers, worker => range((int)((long)count * worker / workers), (int)((long)count * (worker + 1) / workers)));
    }

    /// <summary>
    /// Runs <paramref name="worker"/>(0 … workers − 1): on the calling thread alone when there is one, else with the
    /// kernels' own helper threads (<see cref="KernelThreads"/>), or the thread pool while another call holds them.
    /// </summary>
    public static void Run(int workers, Action<int> worker)
    {
        if (workers == 1)
            worker(0);
        else if (!KernelThreads.Shared.TryRun(workers, worker))
            Parallel.For(0, workers, worker);
    }
}
