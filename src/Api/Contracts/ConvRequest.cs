using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using ConvService.Api.Json;
using ConvService.Domain.Convolution;
using ConvService.Domain.Geometry;

namespace ConvService.Api.Contracts;

/// <summary>The fields every convolution request shares: the input, the kernel and PyTorch's <c>conv2d</c> options.</summary>
public abstract record ConvRequest : IDisposable
{
    /// <summary>The input: (H, W), (C, H, W) or (N, C, H, W); nested arrays or {"shape", "data"}. Required.</summary>
    public JsonTensor? Input { get; init; }

    /// <summary>The weight: (kH, kW) for an (H, W) input, else (Cout, C/groups, kH, kW). Required.</summary>
    public JsonTensor? Kernel { get; init; }

    /// <summary>Optional rank-1 tensor of Cout values added to each output channel.</summary>
    public JsonTensor? Bias { get; init; }

    /// <summary>Step between windows: one integer ≥ 1 for both axes, or [height, width]. Default 1.</summary>
    [DefaultValue(1)]
    public Spatial? Stride { get; init; }

    /// <summary>Integer ≥ 0 or [height, width] added on both sides, or "valid" (none), or "same" (output size = input size; stride 1 only). Default 0.</summary>
    [DefaultValue(0)]
    public ConvPadding? Padding { get; init; }

    /// <summary>Spacing between kernel taps: integer ≥ 1 or [height, width]. Default 1.</summary>
    [DefaultValue(1)]
    public Spatial? Dilation { get; init; }

    /// <summary>Channel groups ≥ 1; must divide the input channels and Cout. Default 1.</summary>
    [DefaultValue(1)]
    public int? Groups { get; init; }

    /// <summary>What padding cells hold: "zeros", "reflect" (padding &lt; input size), "replicate" or "circular" (padding ≤ input size). Default "zeros".</summary>
    [DefaultValue("zeros")]
    public PaddingMode? PaddingMode { get; init; }

    /// <summary>Precision of the computation: "float64" or "float32". Default "float64".</summary>
    [DefaultValue("float64")]
    public DType? Dtype { get; init; }

    /// <summary>Fields the contract does not define; each is reported as an error.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }

    /// <summary>The options with PyTorch's defaults filled in.</summary>
    public ConvOptions ToOptions() => new(
        2,
        Stride ?? Spatial.Repeat(1, 2),
        Padding ?? ConvPadding.Explicit(Spatial.Repeat(0, 2)),
        Dilation ?? Spatial.Repeat(1, 2),
        Groups ?? 1,
        PaddingMode ?? Domain.Geometry.PaddingMode.Zeros);

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
