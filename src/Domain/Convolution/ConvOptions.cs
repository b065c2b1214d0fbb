using ConvService.Domain.Geometry;

namespace ConvService.Domain.Convolution;

/// <summary>The options of <c>torch.nn.functional.conv2d</c> plus the module's <c>padding_mode</c>.</summary>
/// <param name="Stride">Step between windows per axis, each ≥ 1.</param>
/// <param name="Padding">Explicit per-axis padding (≥ 0), "same" (stride 1 only) or "valid".</param>
/// <param name="Dilation">Spacing between kernel taps per axis, each ≥ 1.</param>
/// <param name="Groups">Channel groups; divides the input and output channel counts.</param>
/// <param name="PaddingMode">What the padding cells hold.</param>
public readonly record struct ConvOptions(Spatial Stride, ConvPadding Padding, Spatial Dilation, int Groups, PaddingMode PaddingMode)
{
    /// <summary>PyTorch's defaults in 2-D: stride 1, padding 0, dilation 1, one group, zero padding.</summary>
    public static ConvOptions Default2d => new(Spatial.Repeat(1, 2), ConvPadding.Explicit(Spatial.Repeat(0, 2)), Spatial.Repeat(1, 2), 1, PaddingMode.Zeros);
}
