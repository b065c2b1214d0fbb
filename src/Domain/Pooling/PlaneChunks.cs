using System.Runtime.ExceptionServices;

namespace ConvService.Domain.Pooling;

/// <summary>Splits a pooling call's planes between the cores when the call is large enough to pay for it.</summary>
internal static class PlaneChunks
{
    /// <summary>
    /// Below this many input plus output elements a call stays on the calling thread. Measured for max k3 s2 p1 on
    /// 1×C×64×64 float32 (2 shared cores): splitting broke even near 80k elements and gained 15% at 330k, so small
    /// requests never pay for the thread pool.
    /// </summary>
    internal const long ParallelThreshold = 1 << 18;

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
