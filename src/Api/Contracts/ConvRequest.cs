using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using ConvService.Api.Json;
using ConvService.Api.Plans;
using ConvService.Domain.Convolution;
using ConvService.Domain.Geometry;

namespace ConvService.Api.Contracts;

/// <summary>The fields every convolution request shares: the input, the kernel and PyTorch's <c>conv1d/2d/3d</c> options.</summary>
public abstract record ConvRequest : IDisposable
{
    /// <summary>The input for spatialDims d: rank d (one line, plane or volume), d + 1 (C, …) or d + 2 (N, C, …); nested arrays or {"shape", "data"}. Required.</summary>
    public JsonTensor? Input { get; init; }

    /// <summary>The weight: (k…) for an input of rank d, else (Cout, C/groups, k…). Required.</summary>
    public JsonTensor? Kernel { get; init; }

    /// <summary>Optional rank-1 tensor of Cout values added to each output channel.</summary>
    public JsonTensor? Bias { get; init; }

    /// <summary>The number of spatial axes d: 1 (L), 2 (H, W) or 3 (D, H, W). Default 2.</summary>
    [DefaultValue(2)]
    [System.ComponentModel.DataAnnotations.Range(1, 3)]
    public int? SpatialDims { get; init; }

    /// <summary>Step between windows: one integer ≥ 1 for every axis, or a list of d. Default 1.</summary>
    [DefaultValue(1)]
    public PerAxis? Stride { get; init; }

    /// <summary>
    /// One integer ≥ 0 for both ends of every axis; a list of d entries, each an integer or a [begin, end] pair (in 1-D: [[1, 2]]);
    /// "valid" (none); "same" (PyTorch: output size = input size, stride 1 only); "same-upper" or "same-lower" (ONNX/TensorFlow
    /// SAME at any stride: output ceil(I / stride), the odd cell of padding at the end or at the beginning). Default 0.
    /// </summary>
    [DefaultValue(0)]
    public PaddingValue? Padding { get; init; }

    /// <summary>Spacing between kernel taps: one integer ≥ 1 for every axis, or a list of d. Default 1.</summary>
    [DefaultValue(1)]
    public PerAxis? Dilation { get; init; }

    /// <summary>Channel groups ≥ 1; must divide the input channels and Cout. Default 1.</summary>
    [DefaultValue(1)]
    [System.ComponentModel.DataAnnotations.Range(1, int.MaxValue)]
    public int? Groups { get; init; }

    /// <summary>What padding cells hold: "zeros", "reflect" (padding &lt; input size), "replicate" or "circular" (padding ≤ input size); asymmetric padding pads as F.pad, then convolves unpadded. Default "zeros".</summary>
    [DefaultValue("zeros")]
    public PaddingMode? PaddingMode { get; init; }

    /// <summary>Precision of the computation: "float64" or "float32". Default "float64".</summary>
    [DefaultValue("float64")]
    public DType? Dtype { get; init; }

    /// <summary>Fields the contract does not define; each is reported as an error.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }

    /// <summary>The plan, once the validation filter has made it (see <see cref="IPlannedRequest"/>); never on the wire.</summary>
    [JsonIgnore]
    public ConvPlan? Plan { get; init; }

    /// <summary>d: spatialDims, or 2 when absent.</summary>
    [JsonIgnore]
    public int Dims => SpatialDims ?? 2;

    /// <summary>The per-axis integer lists and how many entries each was sent with (null: one integer or absent).</summary>
    internal (string Field, int? Count)[] AxisLists => [("stride", Stride?.Count), ("dilation", Dilation?.Count)];

    /// <summary>Whether the plan can be made: the tensors are here and every axis resolves (else the field rules say why).</summary>
    protected bool Plannable => Input is not null && Kernel is not null && Validation.CommonRules.AxesFit(SpatialDims, Padding, AxisLists);

    /// <summary>The options for <see cref="Dims"/> axes with PyTorch's defaults filled in.</summary>
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

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        Input?.Dispose();
        Kernel?.Dispose();
        Bias?.Dispose();
    }
}
