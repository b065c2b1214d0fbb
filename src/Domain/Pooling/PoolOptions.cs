using ConvService.Domain.Geometry;

namespace ConvService.Domain.Pooling;

/// <summary>
/// The options of a pooling call as given: <see langword="null"/> means "not given", so that the rules can tell an
/// option that does not apply to a mode from one left at its default. Per-axis values hold one entry per spatial axis,
/// outermost first ([depth, height, width] in 3-D).
/// </summary>
/// <param name="KernelSize">Window (max, avg, lp, fractional-max); required there.</param>
/// <param name="Stride">Step between windows (max, avg, lp); default the kernel size.</param>
/// <param name="Padding">Implicit −∞ (max) or 0 (avg) on both sides; default 0.</param>
/// <param name="Dilation">Spacing between window taps (max); default 1.</param>
/// <param name="CeilMode">Ceil instead of floor in the output size (max, avg, lp); default false.</param>
/// <param name="CountIncludePad">Padding cells count in the divisor (avg); default true.</param>
/// <param name="DivisorOverride">Divide every window by this instead (avg, 2-D and 3-D).</param>
/// <param name="NormType">p of the Lp norm (lp); required there.</param>
/// <param name="OutputSize">Output size (adaptive, fractional-max).</param>
/// <param name="OutputRatio">Output size as a fraction of the input (fractional-max).</param>
/// <param name="Seed">Seed for drawing fractional-max samples when none are given.</param>
/// <param name="ReturnIndices">Also return argmax positions (max, fractional-max, adaptive-max).</param>
/// <param name="SpatialDims">The number of spatial axes d: 1, 2 or 3; default 2.</param>
public readonly record struct PoolOptions(
    Spatial? KernelSize = null,
    Spatial? Stride = null,
    Spatial? Padding = null,
    Spatial? Dilation = null,
    bool? CeilMode = null,
    bool? CountIncludePad = null,
    int? DivisorOverride = null,
    double? NormType = null,
    PoolOutputSize? OutputSize = null,
    PoolRatio? OutputRatio = null,
    int? Seed = null,
    bool? ReturnIndices = null,
    int? SpatialDims = null)
{
    /// <summary><see cref="SpatialDims"/>, 2 when not given.</summary>
    public int Dims => SpatialDims ?? 2;
}
