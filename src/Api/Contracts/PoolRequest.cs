using System.Collections.Frozen;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using ConvService.Api.Json;
using ConvService.Api.Wire;
using ConvService.Domain.Geometry;
using ConvService.Domain.Pooling;

namespace ConvService.Api.Contracts;

/// <summary>A pooling call with the options of PyTorch's pooling functions; each field applies only to the modes its summary names.</summary>
public abstract record PoolRequest : IDisposable
{
    /// <summary>The input: (H, W), (C, H, W) or (N, C, H, W); nested arrays or {"shape", "data"}. Required.</summary>
    public RequestTensor? Input { get; init; }

    /// <summary>max, avg, lp, fractional-max (required there): the window, integer ≥ 1 or [height, width].</summary>
    public Spatial? KernelSize { get; init; }

    /// <summary>max, avg, lp: step between windows ≥ 1. Default kernelSize.</summary>
    public Spatial? Stride { get; init; }

    /// <summary>max, avg: implicit −∞ (max) or 0 (avg) on both sides, at most half the (dilated) kernel. Default 0.</summary>
    [DefaultValue(0)]
    public Spatial? Padding { get; init; }

    /// <summary>max: spacing between window taps ≥ 1. Default 1.</summary>
    [DefaultValue(1)]
    public Spatial? Dilation { get; init; }

    /// <summary>max, avg, lp: ceil instead of floor in the output size; a last window starting in the end padding is dropped. Default false.</summary>
    [DefaultValue(false)]
    public bool? CeilMode { get; init; }

    /// <summary>avg: padding cells count in the divisor. Default true.</summary>
    [DefaultValue(true)]
    public bool? CountIncludePad { get; init; }

    /// <summary>avg: divide every window by this (≥ 1) instead of its size.</summary>
    public int? DivisorOverride { get; init; }

    /// <summary>lp (required there): p &gt; 0 of (Σ x^p)^(1/p).</summary>
    public double? NormType { get; init; }

    /// <summary>adaptive-max, adaptive-avg, fractional-max: integer, [height, width], or (adaptive) a pair with null entries keeping that axis.</summary>
    public PoolOutputSize? OutputSize { get; init; }

    /// <summary>fractional-max: a number or [height, width] in (0, 1); output = floor(input · ratio).</summary>
    public PoolRatio? OutputRatio { get; init; }

    /// <summary>fractional-max: (N, C, 2), (C, 2) for a (C, H, W) input, (1, 2) for (H, W); per plane the width sample first. Drawn when absent.</summary>
    public RequestTensor? RandomSamples { get; init; }

    /// <summary>fractional-max: draw randomSamples reproducibly from this seed when they are not sent.</summary>
    public int? Seed { get; init; }

    /// <summary>max, fractional-max, adaptive-max: also return indices, flat positions in the input's H·W plane. Default false.</summary>
    [DefaultValue(false)]
    public bool? ReturnIndices { get; init; }

    /// <summary>Precision of the computation: "float64" or "float32". Default "float64".</summary>
    [DefaultValue("float64")]
    public DType? Dtype { get; init; }

    /// <summary>Fields the contract does not define; each is reported as an error.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }

    /// <summary>The options as given (null = not sent), for <see cref="PoolRules"/> to judge per mode.</summary>
    public PoolOptions ToOptions() => new(KernelSize, Stride, Padding, Dilation, CeilMode, CountIncludePad, DivisorOverride, NormType, OutputSize, OutputRatio, Seed, ReturnIndices);

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        Input?.Dispose();
        RandomSamples?.Dispose();
    }
}

/// <summary>A pooling call: the input and the options of the mode in the route.</summary>
public sealed record PoolForwardRequest : PoolRequest, IJsonBodyRequest<PoolForwardRequest>
{
    public static FrozenSet<string> TensorFields { get; } = TensorArguments.Names("input", "randomSamples");

    public PoolForwardRequest WithTensors(TensorArguments tensors) =>
        this with { Input = tensors.Take("input"), RandomSamples = tensors.Take("randomSamples") };
}

/// <summary>The forward fields plus the gradient of the output.</summary>
public sealed record PoolBackwardRequest : PoolRequest, IJsonBodyRequest<PoolBackwardRequest>
{
    /// <summary>A tensor of the forward output's shape; all ones (the gradient of the output's sum) when absent.</summary>
    public RequestTensor? GradOutput { get; init; }

    public static FrozenSet<string> TensorFields { get; } = TensorArguments.Names("input", "randomSamples", "gradOutput");

    public PoolBackwardRequest WithTensors(TensorArguments tensors) =>
        this with { Input = tensors.Take("input"), RandomSamples = tensors.Take("randomSamples"), GradOutput = tensors.Take("gradOutput") };

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        GradOutput?.Dispose();
    }
}
