using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// The kernels' own helper threads, one per core beside the caller's, which stay awake for a moment after each call
/// (as OpenMP's do) so that the next one starts on both cores at once. A parallel section handed to the .NET thread pool
/// waits for a worker that has often gone to sleep, and waking it on this host costs 5–12 µs at the median and tens of
/// µs at the tail. One caller owns the threads at a time; another at the same moment uses the pool
/// (<see cref="TryRun"/> says no). The caller runs worker indices too, so a helper that is slow to wake delays nothing:
/// it finds them taken.
/// </summary>
internal sealed class KernelThreads
{
    public static readonly KernelThreads Shared = new(Environment.ProcessorCount - 1);

    /// <summary>How long a helper stays awake for the next call: a few kernel calls' gaps, and little CPU when none comes.</summary>
    private static readonly long AwakeTicks = Stopwatch.Frequency / 5000;

    private readonly SemaphoreSlim[] _wake;
    private readonly int[] _asleep;
    private Section? _section;
    private int _owned;

    internal KernelThreads(int helpers)
    {
        _wake = new SemaphoreSlim[helpers];
        _asleep = new int[helpers];
        for (var h = 0; h < helpers; h++)
        {
            _wake[h] = new SemaphoreSlim(0);
            var helper = h;
            new Thread(() => Serve(helper)) { IsBackground = true, Name = $"ConvService kernel {h + 1}" }.Start();
        }
    }

    /// <summary>
    /// Runs <paramref name="worker"/>(0 … <paramref name="workers"/> − 1) on the caller and the helpers and returns true,
    /// or returns false at once when another caller holds the threads or there are too few of them.
    /// </summary>
    public bool TryRun(int workers, Action<int> worker)
    {
        if (workers - 1 > _wake.Length || Interlocked.CompareExchange(ref _owned, 1, 0) != 0)
            return false;
        try
        {
            var section = new Section(worker, workers);
            Interlocked.Exchange(ref _section, section);
            for (var h = 0; h < workers - 1; h++)
            {
                if (Volatile.Read(ref _asleep[h]) == 1)
                    _wake[h].Release();
            }
            try
            {
                section.Work();
            }
            finally
            {
                section.AwaitAll();
            }
            section.Error?.Throw();
            return true;
        }
        finally
        {
            Volatile.Write(ref _owned, 0);
        }
    }

    private void Serve(int helper)
    {
        Section? seen = null;
        while (true)
        {
            var awakeUntil = Stopwatch.GetTimestamp() + AwakeTicks;
            var spins = 0;
            Section? section;
            while ((section = Volatile.Read(ref _section)) == seen)
            {
                if (Stopwatch.GetTimestamp() < awakeUntil)
                {
                    // Pause, and now and then give the core to any other thread that is ready to run.
                    if (++spins % 16 == 0)
                        Thread.Yield();
                    else
                        Thread.SpinWait(20);
                    continue;
                }
                // Interlocked on both sides: the caller that publishes after this reads 1 and wakes this helper.
                Interlocked.Exchange(ref _asleep[helper], 1);
                if (Volatile.Read(ref _section) == seen)
                    _wake[helper].Wait();
                Interlocked.Exchange(ref _asleep[helper], 0);
                awakeUntil = Stopwatch.GetTimestamp() + AwakeTicks;
            }
            seen = section;
            section!.Work();
        }
    }

    /// <summary>One parallel section: its worker indices, claimed in turn, and how many have finished.</summary>
    private sealed class Section(Action<int> worker, int workers)
    {
        private int _next = -1, _finished;

        public ExceptionDispatchInfo? Error { get; private set; }

        /// <summary>Runs indices until none is left; a late helper finds none.</summary>
        public void Work()
        {
            for (var index = Interlocked.Increment(ref _next); index < workers; index = Interlocked.Increment(ref _next))
            {
                try
                {
                    worker(index);
                }
                catch (Exception e)
                {
                    Error ??= ExceptionDispatchInfo.Capture(e);
                }
                finally
                {
                    Interlocked.Increment(ref _finished);
                }
            }
        }

        public void AwaitAll()
        {
            var spin = new SpinWait();
            while (Volatile.Read(ref _finished) < workers)
                spin.SpinOnce(sleep1Threshold: -1);
        }
    }
}
