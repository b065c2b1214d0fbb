using System.Collections.Frozen;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using ConvService.Api.Json;
using ConvService.Api.Plans;
using ConvService.Api.Wire;
using ConvService.Domain.Pooling;

namespace ConvService.Api.Contracts;

/// <summary>
/// A pooling call with the options of PyTorch's pooling functions in 1, 2 or 3 spatial dimensions; each field applies
/// only to the modes its summary names. Per-axis fields take one value for every axis or a list of spatialDims values.
/// </summary>
public abstract record PoolRequest : IDisposable
{
    /// <summary>The input for spatialDims d: rank d (one line, plane or volume), d + 1 (C, …) or d + 2 (N, C, …); nested arrays or {"shape", "data"}. Required.</summary>
    public RequestTensor? Input { get; init; }

    /// <summary>The number of spatial axes d: 1 (L), 2 (H, W) or 3 (D, H, W). Default 2. fractional-max has no 1-D form.</summary>
    [DefaultValue(2)]
    [System.ComponentModel.DataAnnotations.Range(1, 3)]
    public int? SpatialDims { get; init; }

    /// <summary>max, avg, lp, fractional-max (required there): the window, integers ≥ 1, one for every axis or a list of d.</summary>
    public PerAxis? KernelSize { get; init; }

    /// <summary>max, avg, lp: step between windows, integers ≥ 1. Default kernelSize.</summary>
    public PerAxis? Stride { get; init; }

    /// <summary>max, avg: implicit −∞ (max) or 0 (avg) on both sides of each axis, at most half the kernel (2-D max: the dilated kernel). Default 0.</summary>
    [DefaultValue(0)]
    public PerAxis? Padding { get; init; }

    /// <summary>max: spacing between window taps, integers ≥ 1. Default 1.</summary>
    [DefaultValue(1)]
    public PerAxis? Dilation { get; init; }

    /// <summary>max, avg, lp: ceil instead of floor in the output size; a last window starting in the end padding is dropped. Default false.</summary>
    [DefaultValue(false)]
    public bool? CeilMode { get; init; }

    /// <summary>avg: padding cells count in the divisor. Default true.</summary>
    [DefaultValue(true)]
    public bool? CountIncludePad { get; init; }

    /// <summary>avg in 2-D and 3-D (avg_pool1d has none): divide every window by this (≥ 1) instead of its size.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, int.MaxValue)]
    public int? DivisorOverride { get; init; }

    /// <summary>lp (required there): p &gt; 0 of (Σ x^p)^(1/p).</summary>
    public double? NormType { get; init; }

    /// <summary>adaptive-max, adaptive-avg, fractional-max: integers ≥ 1, one for every axis or a list of d; adaptive 2-D and 3-D lists may hold null (keep that axis's size).</summary>
    public PerAxis<int?>? OutputSize { get; init; }

    /// <summary>fractional-max: numbers in (0, 1), one for every axis or a list of d; output = floor(input · ratio).</summary>
    public PerAxis<double>? OutputRatio { get; init; }

    /// <summary>fractional-max: (N, C, d), (C, d) unbatched, (1, d) for a lone plane or volume; per plane 2-D width then height, 3-D depth, height, width. Drawn when absent.</summary>
    public RequestTensor? RandomSamples { get; init; }

    /// <summary>fractional-max: draw randomSamples reproducibly from this seed when they are not sent.</summary>
    public int? Seed { get; init; }

    /// <summary>max, fractional-max, adaptive-max: also return indices, flat positions in the input's spatial extent (L, H·W or D·H·W). Default false.</summary>
    [DefaultValue(false)]
    public bool? ReturnIndices { get; init; }

    /// <summary>Precision of the computation: "float64" or "float32". Default "float64".</summary>
    [DefaultValue("float64")]
    public DType? Dtype { get; init; }

    /// <summary>Fields the contract does not define; each is reported as an error.</summary>
    [JsonExtensionData]
    // set, not init: generated metadata passes init-only properties to the constructor, which extension data cannot be.
    public Dictionary<string, JsonElement>? UnknownFields { get; set; }

    /// <summary>The plan, once the validation filter has made it (see <see cref="IPlannedRequest"/>); never on the wire.</summary>
    [JsonIgnore]
    public PoolPlan? Plan { get; init; }

    /// <summary>d: spatialDims, or 2 when absent.</summary>
    [JsonIgnore]
    public int Dims => SpatialDims ?? 2;

    /// <summary>The per-axis lists and how many entries each was sent with (null: one value or absent).</summary>
    internal (string Field, int? Count)[] AxisLists =>
    [
        ("kernelSize", KernelSize?.Count), ("stride", Stride?.Count), ("padding", Padding?.Count), ("dilation", Dilation?.Count),
        ("outputSize", OutputSize?.Count), ("outputRatio", OutputRatio?.Count),
    ];

    /// <summary>Whether the plan can be made: the input is here and every axis resolves (else the field rules say why).</summary>
    protected bool Plannable => Input is not null && Validation.CommonRules.AxesFit(SpatialDims, null, AxisLists);

    /// <summary>The options as given (null = not sent), resolved to d axes, for <see cref="PoolRules"/> to judge per mode.</summary>
    public PoolOptions ToOptions()
    {
        var d = Dims;
        return new(
            KernelSize?.Resolve(d), Stride?.Resolve(d), Padding?.Resolve(d), Dilation?.Resolve(d), CeilMode, CountIncludePad, DivisorOverride, NormType,
            OutputSize is { } size ? new PoolOutputSize(size.ValuesFor(d).AsSpan()) : null,
            OutputRatio is { } ratio ? new PoolRatio(ratio.ValuesFor(d).AsSpan()) : null,
            Seed, ReturnIndices, d);
    }

    /// <summary>The route's mode and the request's shapes, options and dtype, as the plan reads them.</summary>
    protected PoolCall Call(PlanContext context) =>
        new(PoolModeMetadata.Of(context.Metadata), Input!.Shape, RandomSamples?.Shape, ToOptions(), Dtype ?? DType.Float64);

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
public sealed record PoolForwardRequest : PoolRequest, IJsonBodyRequest<PoolForwardRequest>, IPlannedRequest<PoolForwardRequest, PoolPlan>
{
    public PlanResult<PoolPlan> CreatePlan(PlanContext context) => !Plannable ? PlanResult<PoolPlan>.Unplanned : PoolPlan.Forward(Call(context), context.Limits);

    public PoolForwardRequest WithPlan(PoolPlan plan) => this with { Plan = plan };

    public static FrozenSet<string> TensorFields { get; } = TensorArguments.Names("input", "randomSamples");

    public PoolForwardRequest WithTensors(TensorArguments tensors) =>
        this with { Input = tensors.Take("input"), RandomSamples = tensors.Take("randomSamples") };
}

/// <summary>The forward fields plus the gradient of the output.</summary>
public sealed record PoolBackwardRequest : PoolRequest, IJsonBodyRequest<PoolBackwardRequest>, IPlannedRequest<PoolBackwardRequest, PoolPlan>
{
    /// <summary>A tensor of the forward output's shape; all ones (the gradient of the output's sum) when absent.</summary>
    public RequestTensor? GradOutput { get; init; }

    public static FrozenSet<string> TensorFields { get; } = TensorArguments.Names("input", "randomSamples", "gradOutput");

    public PoolBackwardRequest WithTensors(TensorArguments tensors) =>
        this with { Input = tensors.Take("input"), RandomSamples = tensors.Take("randomSamples"), GradOutput = tensors.Take("gradOutput") };

    public PlanResult<PoolPlan> CreatePlan(PlanContext context) => !Plannable ? PlanResult<PoolPlan>.Unplanned : PoolPlan.Backward(Call(context), GradOutput?.Shape, context.Limits);

    public PoolBackwardRequest WithPlan(PoolPlan plan) => this with { Plan = plan };

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        GradOutput?.Dispose();
    }
}
