using System.Numerics;
using ConvService.Domain.Pooling.Windows;

namespace ConvService.Domain.Pooling.Reductions;

/// <summary>
/// What a pooling mode computes over one plane's windows, forward and backward. One instance serves one thread; it
/// may keep scratch between planes and returns it on <see cref="IDisposable.Dispose"/>.
/// </summary>
internal interface IPoolReduction<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Each window's value into <paramref name="output"/> (row-major over the output plane) and, for max and when
    /// <paramref name="indices"/> is not empty, its flat position in the input plane.
    /// </summary>
    void Forward(ReadOnlySpan<T> plane, PlaneWindows windows, Span<T> output, Span<int> indices);

    /// <summary>Adds the gradient of <c>Σ output · gradOutput</c> with respect to the plane into <paramref name="gradInput"/>, which starts at zero.</summary>
    void Backward(ReadOnlySpan<T> plane, PlaneWindows windows, ReadOnlySpan<T> gradOutput, Span<T> gradInput);
}

/// <summary>The reduction of each mode.</summary>
internal static class PoolReductions
{
    public static IPoolReduction<T> Create<T>(PoolGeometry geometry) where T : unmanaged, IFloatingPointIeee754<T> => geometry.Mode.Reduction() switch
    {
        PoolReduction.Max => new MaxReduction<T>(geometry.OutputPlaneLength),
        PoolReduction.Mean => new MeanReduction<T>(geometry.DivisorOverride),
        _ => new PowerMeanReduction<T>(geometry.NormType, geometry.KernelVolume, geometry.InputPlaneLength, geometry.OutputPlaneLength),
    };
}
