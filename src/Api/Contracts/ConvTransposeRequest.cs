using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using ConvService.Api.Json;
using ConvService.Api.Plans;
using ConvService.Domain.Convolution;
using ConvService.Domain.Geometry;

namespace ConvService.Api.Contracts;

/// <summary>The fields every transposed-convolution request shares: PyTorch's <c>conv_transpose1d/2d/3d</c> (zero padding only, as PyTorch).</summary>
public abstract record ConvTransposeRequest : IDisposable
{
    /// <summary>The input for spatialDims d: rank d (one line, plane or volume), d + 1 (C, …) or d + 2 (N, C, …). Required.</summary>
    public JsonTensor? Input { get; init; }

    /// <summary>The weight: (k…) for an input of rank d, else (C, Cout/groups, k…), C the input's channels. Required.</summary>
    public JsonTensor? Kernel { get; init; }

    /// <summary>Optional rank-1 tensor of Cout values added to each output channel.</summary>
    public JsonTensor? Bias { get; init; }

    /// <summary>The number of spatial axes d: 1 (L), 2 (H, W) or 3 (D, H, W). Default 2.</summary>
    [DefaultValue(2)]
    [System.ComponentModel.DataAnnotations.Range(1, 3)]
    public int? SpatialDims { get; init; }

    /// <summary>Step of the convolution this is the gradient of: one integer ≥ 1 for every axis, or a list of d. Default 1.</summary>
    [DefaultValue(1)]
    public PerAxis? Stride { get; init; }

    /// <summary>Taken off both ends of each output axis: one integer ≥ 0 for every axis, or a list of d (symmetric integers only, as PyTorch). Default 0.</summary>
    [DefaultValue(0)]
    public PaddingValue? Padding { get; init; }

    /// <summary>Added to the end of each output axis, each smaller than that axis's stride or its dilation: one integer ≥ 0 or a list of d. Default 0.</summary>
    [DefaultValue(0)]
    public PerAxis? OutputPadding { get; init; }

    /// <summary>The output's spatial sizes, one integer or a list of d, each within [min, min + stride − 1] where min = (I − 1)·stride − 2·padding + dilation·(K − 1) + 1; chooses the output padding as PyTorch's ConvTranspose does. Not with outputPadding.</summary>
    public PerAxis? OutputSize { get; init; }

    /// <summary>Spacing between kernel taps: one integer ≥ 1 for every axis, or a list of d. Default 1.</summary>
    [DefaultValue(1)]
    public PerAxis? Dilation { get; init; }

    /// <summary>Channel groups ≥ 1; must divide the input channels. Default 1.</summary>
    [DefaultValue(1)]
    [System.ComponentModel.DataAnnotations.Range(1, int.MaxValue)]
    public int? Groups { get; init; }

    /// <summary>Precision of the computation: "float64" or "float32". Default "float64".</summary>
    [DefaultValue("float64")]
    public DType? Dtype { get; init; }

    /// <summary>Fields the contract does not define; each is reported as an error.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }

    /// <summary>The plan, once the validation filter has made it (see <see cref="IPlannedRequest"/>); never on the wire.</summary>
    [JsonIgnore]
    public ConvTransposePlan? Plan { get; init; }

    /// <summary>d: spatialDims, or 2 when absent.</summary>
    [JsonIgnore]
    public int Dims => SpatialDims ?? 2;

    /// <summary>The per-axis integer lists and how many entries each was sent with (null: one integer or absent).</summary>
    internal (string Field, int? Count)[] AxisLists =>
        [("stride", Stride?.Count), ("dilation", Dilation?.Count), ("outputPadding", OutputPadding?.Count), ("outputSize", OutputSize?.Count)];

    /// <summary>Padding is absent or integers: PyTorch's conv_transpose has no [begin, end] pairs and no "same".</summary>
    internal bool PaddingIsIntegers => Padding is not { } padding || (padding.Kind == ConvPaddingKind.Explicit && !padding.HasPairs);

    /// <summary>Whether the plan can be made: the tensors are here, padding is integers and every axis resolves (else the field rules say why).</summary>
    protected bool Plannable => Input is not null && Kernel is not null && PaddingIsIntegers && OutputSize is null | OutputPadding is null
        && Validation.CommonRules.AxesFit(SpatialDims, Padding, AxisLists);

    /// <summary>The options for <see cref="Dims"/> axes with PyTorch's defaults filled in (padding already known to be integers).</summary>
    public ConvTransposeOptions ToOptions()
    {
        var d = Dims;
        return new(
            d,
            Stride?.Resolve(d) ?? Spatial.Repeat(1, d),
            Padding?.Resolve(d).Begin ?? Spatial.Repeat(0, d),
            Dilation?.Resolve(d) ?? Spatial.Repeat(1, d),
            Groups ?? 1,
            OutputPadding?.Resolve(d),
            OutputSize?.Resolve(d));
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

/// <summary>A transposed convolution in 1, 2 or 3 spatial dimensions, as PyTorch's <c>conv_transpose1d/2d/3d</c>.</summary>
public sealed record ConvTransposeForwardRequest : ConvTransposeRequest, IJsonBodyRequest<ConvTransposeForwardRequest>, IPlannedRequest<ConvTransposeForwardRequest, ConvTransposePlan>
{
    public PlanResult<ConvTransposePlan> CreatePlan(PlanContext context) => !Plannable ? PlanResult<ConvTransposePlan>.Unplanned :
        ConvTransposePlan.Forward(Input!.Shape, Kernel!.Shape, Bias?.Shape, ToOptions(), Dtype ?? DType.Float64, context.Limits);

    public ConvTransposeForwardRequest WithPlan(ConvTransposePlan plan) => this with { Plan = plan };
}

/// <summary>The gradients of a transposed convolution: its fields plus the gradient flowing back into its output.</summary>
public sealed record ConvTransposeBackwardRequest : ConvTransposeRequest, IJsonBodyRequest<ConvTransposeBackwardRequest>, IPlannedRequest<ConvTransposeBackwardRequest, ConvTransposePlan>
{
    /// <summary>∂L/∂output, of the output's shape. Optional: absent means all ones (the gradient of the output's sum).</summary>
    public JsonTensor? GradOutput { get; init; }

    public PlanResult<ConvTransposePlan> CreatePlan(PlanContext context) => !Plannable ? PlanResult<ConvTransposePlan>.Unplanned :
        ConvTransposePlan.Backward(Input!.Shape, Kernel!.Shape, Bias?.Shape, GradOutput?.Shape, ToOptions(), Dtype ?? DType.Float64, context.Limits);

    public ConvTransposeBackwardRequest WithPlan(ConvTransposePlan plan) => this with { Plan = plan };

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        GradOutput?.Dispose();
    }
}
