using System.ComponentModel;
using System.Text.Json.Serialization;
using ConvService.Api.Json;
using ConvService.Api.Plans;
using ConvService.Domain.Convolution;
using ConvService.Domain.Geometry;

namespace ConvService.Api.Contracts;

/// <summary>The fields every transposed-convolution request shares: PyTorch's <c>conv_transpose1d/2d/3d</c> (zero padding only, as PyTorch).</summary>
public abstract record ConvTransposeRequest : KernelRequest
{
    /// <summary>Taken off both ends of each output axis: one integer ≥ 0 for every axis, or a list of d (symmetric integers only, as PyTorch). Default 0.</summary>
    [DefaultValue(0)]
    public override PaddingValue? Padding { get; init; }

    /// <summary>Added to the end of each output axis, each smaller than that axis's stride or its dilation: one integer ≥ 0 or a list of d. Default 0.</summary>
    [DefaultValue(0)]
    public PerAxis? OutputPadding { get; init; }

    /// <summary>The output's spatial sizes, one integer or a list of d, each within [min, min + stride − 1] where min = (I − 1)·stride − 2·padding + dilation·(K − 1) + 1; chooses the output padding as PyTorch's ConvTranspose does. Not with outputPadding.</summary>
    public PerAxis? OutputSize { get; init; }

    /// <summary>The plan, once the validation filter has made it (see <see cref="IPlannedRequest"/>); never on the wire.</summary>
    [JsonIgnore]
    public ConvTransposePlan? Plan { get; init; }

    internal override (string Field, int? Count)[] AxisLists => [.. base.AxisLists, ("outputPadding", OutputPadding?.Count), ("outputSize", OutputSize?.Count)];

    /// <summary>Padding is absent or integers: PyTorch's conv_transpose has no [begin, end] pairs and no "same".</summary>
    internal bool PaddingIsIntegers => Padding is not { } padding || (padding.Kind == ConvPaddingKind.Explicit && !padding.HasPairs);

    protected override bool Plannable => base.Plannable && PaddingIsIntegers && (OutputSize is null || OutputPadding is null);

    /// <summary>The options for <see cref="KernelRequest.Dims"/> axes with PyTorch's defaults filled in (padding already known to be integers).</summary>
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
