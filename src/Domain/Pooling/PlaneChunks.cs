using System.Runtime.ExceptionServices;

namespace ConvService.Domain.Pooling;

/// <summary>Splits a pooling call's planes between the cores when the call is large enough to pay for it.</summary>
internal static class PlaneChunks
{
    /// <summary>
    /// Below this many input plus output elements a call stays on the calling thread: handing work to the thread pool
    /// costs tens of microseconds, about what the row kernels take for this much data.
    /// </summary>
    internal const long ParallelThreshold = 1 << 17;

    /// <summary>
    /// Calls <paramref name="work"/>(part, first) for consecutive runs of planes that cover all of them: once with the
    /// whole geometry for a small call, else once per core with <c>part.Planes</c> planes starting at plane <c>first</c>.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled; the work polls per plane.</exception>
    public static void Run(PoolGeometry geometry, Action<PoolGeometry, int> work, CancellationToken cancellationToken)
    {
        var workers = Math.Min(Environment.ProcessorCount, geometry.Planes);
        var elements = (long)geometry.Planes * (geometry.InputPlaneLength + geometry.OutputPlaneLength);
        if (workers < 2 || elements < ParallelThreshold)
        {
            work(geometry, 0);
            return;
        }
        try
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken }, chunk =>
            {
                var (first, end) = (geometry.Planes * chunk / workers, geometry.Planes * (chunk + 1) / workers);
                work(geometry with { Planes = end - first }, first);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // Callers expect what the serial loop throws (OperationCanceledException, ArgumentException), not a wrapper.
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
    }
}
