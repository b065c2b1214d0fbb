using ConvService.Domain.Geometry;

namespace ConvService.Domain.Convolution;

/// <summary>The options of <c>torch.nn.functional.conv1d/2d/3d</c> plus the module's <c>padding_mode</c>.</summary>
/// <param name="SpatialDims">d, the number of spatial axes: 1 (L), 2 (H, W) or 3 (D, H, W).</param>
/// <param name="Stride">Step between windows, d values each ≥ 1.</param>
/// <param name="Padding">Explicit per-axis (begin, end) padding (≥ 0), "same" (stride 1 only), "same-upper", "same-lower" or "valid".</param>
/// <param name="Dilation">Spacing between kernel taps, d values each ≥ 1.</param>
/// <param name="Groups">Channel groups; divides the input and output channel counts.</param>
/// <param name="PaddingMode">What the padding cells hold.</param>
public readonly record struct ConvOptions(int SpatialDims, Spatial Stride, ConvPadding Padding, Spatial Dilation, int Groups, PaddingMode PaddingMode)
{
    /// <summary>PyTorch's defaults for <paramref name="spatialDims"/> axes: stride 1, padding 0, dilation 1, one group, zero padding.</summary>
    public static ConvOptions Default(int spatialDims) => new(
        spatialDims, Spatial.Repeat(1, spatialDims), ConvPadding.Explicit(Spatial.Repeat(0, spatialDims)), Spatial.Repeat(1, spatialDims), 1, PaddingMode.Zeros);
}
