using System.Numerics;
using System.Runtime.ExceptionServices;
using ConvService.Domain.Tensors;

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
    /// Calls <paramref name="work"/> for consecutive runs of planes that cover all of them: once with the whole
    /// geometry for a small call, else once per core.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled; the work polls per plane.</exception>
    public static void Run(PoolGeometry geometry, Action<PlaneChunk> work, CancellationToken cancellationToken)
    {
        var workers = Math.Min(Environment.ProcessorCount, geometry.Planes);
        var elements = (long)geometry.Planes * (geometry.InputPlaneLength + geometry.OutputPlaneLength);
        if (workers < 2 || elements < ParallelThreshold)
        {
            work(new PlaneChunk(geometry, 0));
            return;
        }
        try
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken }, chunk =>
            {
                var (first, end) = (geometry.Planes * chunk / workers, geometry.Planes * (chunk + 1) / workers);
                work(new PlaneChunk(geometry with { Planes = end - first }, first));
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // Callers expect what the serial loop throws (OperationCanceledException, ArgumentException), not a wrapper.
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
    }
}

/// <summary><see cref="PoolGeometry.Planes"/> planes of <see cref="Part"/> starting at plane <see cref="First"/>, and their slices of a call's tensors.</summary>
internal readonly record struct PlaneChunk(PoolGeometry Part, int First)
{
    /// <summary>The chunk's planes of an input-shaped tensor (the input, the input's gradient).</summary>
    public Span<T> OfInput<T>(Tensor<T> tensor) where T : unmanaged, IFloatingPointIeee754<T> => Slice(tensor.Span, Part.InputPlaneLength);

    /// <summary>The chunk's planes of an output-shaped tensor (the output, its gradient).</summary>
    public Span<T> OfOutput<T>(Tensor<T> tensor) where T : unmanaged, IFloatingPointIeee754<T> => Slice(tensor.Span, Part.OutputPlaneLength);

    /// <summary>The chunk's output indices, or empty when none are kept.</summary>
    public Span<int> OfIndices(int[]? indices) => indices is null ? default : Slice(indices.AsSpan(), Part.OutputPlaneLength);

    /// <summary>The chunk's fractional-max samples (d per plane), or empty for other modes.</summary>
    public ReadOnlySpan<T> OfSamples<T>(Tensor<T>? samples) where T : unmanaged, IFloatingPointIeee754<T> =>
        samples is null ? default : Slice(samples.Span, Part.SpatialDims);

    private Span<T> Slice<T>(Span<T> span, int perPlane) => span.Slice(First * perPlane, Part.Planes * perPlane);
}
