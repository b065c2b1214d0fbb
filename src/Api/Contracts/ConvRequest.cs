using System.ComponentModel;
using System.Text.Json.Serialization;
using ConvService.Api.Json;
using ConvService.Api.Plans;
using ConvService.Domain.Convolution;
using ConvService.Domain.Geometry;

namespace ConvService.Api.Contracts;

/// <summary>The fields every convolution request shares: the input, the kernel and PyTorch's <c>conv1d/2d/3d</c> options.</summary>
public abstract record ConvRequest : KernelRequest
{
    /// <summary>
    /// One integer ≥ 0 for both ends of every axis; a list of d entries, each an integer or a [begin, end] pair (in 1-D: [[1, 2]]);
    /// "valid" (none); "same" (PyTorch: output size = input size, stride 1 only); "same-upper" or "same-lower" (ONNX/TensorFlow
    /// SAME at any stride: output ceil(I / stride), the odd cell of padding at the end or at the beginning). Default 0.
    /// </summary>
    [DefaultValue(0)]
    public override PaddingValue? Padding { get; init; }

    /// <summary>What padding cells hold: "zeros", "reflect" (padding &lt; input size), "replicate" or "circular" (padding ≤ input size); asymmetric padding pads as F.pad, then convolves unpadded. Default "zeros".</summary>
    [DefaultValue("zeros")]
    public PaddingMode? PaddingMode { get; init; }

    /// <summary>The plan, once the validation filter has made it (see <see cref="IPlannedRequest"/>); never on the wire.</summary>
    [JsonIgnore]
    public ConvPlan? Plan { get; init; }

    /// <summary>The options for <see cref="KernelRequest.Dims"/> axes with PyTorch's defaults filled in.</summary>
    public ConvOptions ToOptions()
    {
        var d = Dims;
        return new(
            d,
            Stride?.Resolve(d) ?? Spatial.Repeat(1, d),
            Padding?.Resolve(d) ?? ConvPadding.Explicit(Spatial.Repeat(0, d)),
            Dilation?.Resolve(d) ?? Spatial.Repeat(1, d),
            Groups ?? 1,
            PaddingMode ?? Domain.Geometry.PaddingMode.Zeros);
    }
}
