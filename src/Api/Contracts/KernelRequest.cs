using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using ConvService.Api.Json;
using ConvService.Api.Wire;

namespace ConvService.Api.Contracts;

/// <summary>
/// The fields every request that applies a kernel shares (convolution and transposed convolution): the tensors,
/// spatialDims and the per-axis options both take. Each derived request adds its padding and its own options.
/// </summary>
public abstract record KernelRequest : IDisposable
{
    /// <summary>The input for spatialDims d: rank d (one line, plane or volume), d + 1 (C, …) or d + 2 (N, C, …); nested arrays or {"shape", "data"}. Required.</summary>
    public RequestTensor? Input { get; init; }

    /// <summary>The weight: (k…) for an input of rank d; else (Cout, C/groups, k…) for a convolution, (C, Cout/groups, k…) for a transposed one. Required.</summary>
    public RequestTensor? Kernel { get; init; }

    /// <summary>Optional rank-1 tensor of Cout values added to each output channel.</summary>
    public RequestTensor? Bias { get; init; }

    /// <summary>The number of spatial axes d: 1 (L), 2 (H, W) or 3 (D, H, W). Default 2.</summary>
    [DefaultValue(2)]
    [System.ComponentModel.DataAnnotations.Range(1, 3)]
    public int? SpatialDims { get; init; }

    /// <summary>Step between windows (of the convolution, for a transposed one): one integer ≥ 1 for every axis, or a list of d. Default 1.</summary>
    [DefaultValue(1)]
    public PerAxis? Stride { get; init; }

    /// <summary>How much padding, in the form the derived request takes.</summary>
    public abstract PaddingValue? Padding { get; init; }

    /// <summary>Spacing between kernel taps: one integer ≥ 1 for every axis, or a list of d. Default 1.</summary>
    [DefaultValue(1)]
    public PerAxis? Dilation { get; init; }

    /// <summary>Channel groups ≥ 1; must divide the input channels (and a convolution's Cout). Default 1.</summary>
    [DefaultValue(1)]
    [System.ComponentModel.DataAnnotations.Range(1, int.MaxValue)]
    public int? Groups { get; init; }

    /// <summary>Precision of the computation: "float64" or "float32". Default "float64".</summary>
    [DefaultValue("float64")]
    public DType? Dtype { get; init; }

    /// <summary>Fields the contract does not define; each is reported as an error.</summary>
    [JsonExtensionData]
    // set, not init: generated metadata passes init-only properties to the constructor, which extension data cannot be.
    public Dictionary<string, JsonElement>? UnknownFields { get; set; }

    /// <summary>d: spatialDims, or 2 when absent.</summary>
    [JsonIgnore]
    public int Dims => SpatialDims ?? 2;

    /// <summary>The per-axis integer lists and how many entries each was sent with (null: one integer or absent).</summary>
    internal virtual (string Field, int? Count)[] AxisLists => [("stride", Stride?.Count), ("dilation", Dilation?.Count)];

    /// <summary>Whether the plan can be made: the tensors are here and every axis resolves (else the field rules say why).</summary>
    protected virtual bool Plannable => Input is not null && Kernel is not null && Validation.CommonRules.AxesFit(SpatialDims, Padding, AxisLists);

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
