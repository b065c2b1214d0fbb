using ConvService.Domain.Geometry;

namespace ConvService.Domain.Convolution;

/// <summary>The options of <c>torch.nn.functional.conv_transpose1d/2d/3d</c> (zero padding only, as PyTorch).</summary>
/// <param name="SpatialDims">d, the number of spatial axes.</param>
/// <param name="Stride">d values ≥ 1: the step of the convolution this is the input gradient of.</param>
/// <param name="Padding">d values ≥ 0, taken off both ends of the output.</param>
/// <param name="Dilation">d values ≥ 1.</param>
/// <param name="Groups">Channel groups; divides the input channels.</param>
/// <param name="OutputPadding">d values added to the end of the output, each smaller than its stride or its dilation; null means 0.</param>
/// <param name="OutputSize">The output's d sizes, each in [min, min + stride − 1]; chooses the output padding (null: not given).</param>
public readonly record struct ConvTransposeOptions(int SpatialDims, Spatial Stride, Spatial Padding, Spatial Dilation, int Groups, Spatial? OutputPadding = null, Spatial? OutputSize = null)
{
    /// <summary>PyTorch's defaults for <paramref name="spatialDims"/> axes: stride 1, padding 0, dilation 1, one group, no output padding.</summary>
    public static ConvTransposeOptions Default(int spatialDims) => new(
        spatialDims, Spatial.Repeat(1, spatialDims), Spatial.Repeat(0, spatialDims), Spatial.Repeat(1, spatialDims), 1);
}
