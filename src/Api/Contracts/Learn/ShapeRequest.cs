using System.Collections.Frozen;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using ConvService.Api.Json;
using ConvService.Api.Plans;
using ConvService.Api.Plans.Learn;
using ConvService.Api.Wire;
using ConvService.Domain.Geometry;

namespace ConvService.Api.Contracts.Learn;

/// <summary>POST /shape: a layer stack's shapes without data, each layer by its route's rules.</summary>
public sealed record ShapeRequest : IJsonBodyRequest<ShapeRequest>, IPlannedRequest<ShapeRequest, ShapePlan>
{
    /// <summary>No tensor fields: the body is read whole by System.Text.Json.</summary>
    public static FrozenSet<string> TensorFields { get; } = TensorArguments.Names();

    public ShapeRequest WithTensors(TensorArguments tensors) => this;

    /// <summary>The input's shape: a plane/line/volume of d axes, (C, …) unbatched, or (N, C, …) batched, as the operators read it. Required.</summary>
    public int[]? Input { get; init; }

    /// <summary>The number of spatial axes d: 1 (L), 2 (H, W) or 3 (D, H, W). Default 2.</summary>
    [DefaultValue(2)]
    [System.ComponentModel.DataAnnotations.Range(1, 3)]
    public int? SpatialDims { get; init; }

    /// <summary>The layers, in order; each one's output is the next one's input. Required, at least one.</summary>
    public IReadOnlyList<ShapeLayer>? Layers { get; init; }

    /// <summary>Fields the contract does not define; each is reported as an error.</summary>
    [JsonExtensionData]
    // set, not init: generated metadata passes init-only properties to the constructor, which extension data cannot be.
    public Dictionary<string, JsonElement>? UnknownFields { get; set; }

    /// <summary>The plan, once the validation filter has made it; never on the wire.</summary>
    [JsonIgnore]
    public ShapePlan? Plan { get; init; }

    /// <summary>d: spatialDims, or 2 when absent.</summary>
    [JsonIgnore]
    public int Dims => SpatialDims ?? 2;

    public PlanResult<ShapePlan> CreatePlan(PlanContext context) =>
        Input is null || Layers is not { Count: > 0 } || Input.Any(d => d < 0) || Dims is < 1 or > SpatialLayout.MaxSpatialDims || Layers.Any(l => l is null || !ShapePlan.Ops.Contains(l.Op) || !l.AxesFit(Dims))
            ? PlanResult<ShapePlan>.Unplanned
            : ShapePlan.Create(new([.. Input]), Dims, Layers, context.Limits);

    public ShapeRequest WithPlan(ShapePlan plan) => this with { Plan = plan };
}

/// <summary>
/// One layer of a /shape stack: <see cref="Op"/> and that operation's fields, as its route names them (conv:
/// outChannels, kernelSize, stride, padding, dilation, groups, bias, paddingMode; conv-transpose: those and
/// outputPadding, outputSize; a pool mode: its /pool fields).
/// </summary>
public sealed record ShapeLayer
{
    /// <summary>"conv", "conv-transpose", or a pool mode: "max", "avg", "lp", "fractional-max", "adaptive-max", "adaptive-avg". Required.</summary>
    public string? Op { get; init; }

    /// <summary>conv, conv-transpose: output channels (required for an input with channels; a single plane has one).</summary>
    public int? OutChannels { get; init; }

    /// <summary>conv, conv-transpose, max, avg, lp, fractional-max: the kernel (window), one integer or a list of d.</summary>
    public PerAxis? KernelSize { get; init; }

    /// <summary>Step between windows; default 1 for convolutions, kernelSize for pools.</summary>
    public PerAxis? Stride { get; init; }

    /// <summary>conv: as /conv/forward (integers, [begin, end] pairs, "valid", "same", "same-upper", "same-lower"); conv-transpose, max, avg: integers.</summary>
    public PaddingValue? Padding { get; init; }

    /// <summary>conv, conv-transpose, max: spacing between taps.</summary>
    public PerAxis? Dilation { get; init; }

    /// <summary>conv, conv-transpose: channel groups. Default 1.</summary>
    public int? Groups { get; init; }

    /// <summary>conv, conv-transpose: whether the layer has a bias (counted in parameters). Default true, as nn.Conv2d.</summary>
    public bool? Bias { get; init; }

    /// <summary>conv: "zeros", "reflect", "replicate" or "circular".</summary>
    public PaddingMode? PaddingMode { get; init; }

    /// <summary>conv-transpose: added to the end of each output axis.</summary>
    public PerAxis? OutputPadding { get; init; }

    /// <summary>conv-transpose: the output's sizes; adaptive and fractional pools: the output size (adaptive lists may hold null).</summary>
    public PerAxis<int?>? OutputSize { get; init; }

    /// <summary>fractional-max: output = floor(input · ratio).</summary>
    public PerAxis<double>? OutputRatio { get; init; }

    /// <summary>max, avg, lp: ceil instead of floor in the output size.</summary>
    public bool? CeilMode { get; init; }

    /// <summary>avg: padding counts in the divisor (no effect on shapes; checked as /pool/avg checks it).</summary>
    public bool? CountIncludePad { get; init; }

    /// <summary>avg (2-D, 3-D): the divisor (no effect on shapes).</summary>
    public int? DivisorOverride { get; init; }

    /// <summary>lp: p (required there, as /pool/lp requires it).</summary>
    public double? NormType { get; init; }

    /// <summary>Fields the contract does not define; each is reported as an error.</summary>
    [JsonExtensionData]
    // set, not init: generated metadata passes init-only properties to the constructor, which extension data cannot be.
    public Dictionary<string, JsonElement>? UnknownFields { get; set; }

    /// <summary>The per-axis lists and how many entries each was sent with.</summary>
    internal (string Field, int? Count)[] AxisLists =>
    [
        ("kernelSize", KernelSize?.Count), ("stride", Stride?.Count), ("dilation", Dilation?.Count), ("outputPadding", OutputPadding?.Count),
        ("outputSize", OutputSize?.Count), ("outputRatio", OutputRatio?.Count),
    ];

    internal bool AxesFit(int spatialDims) => Validation.CommonRules.AxesFit(spatialDims, Padding, AxisLists);
}
