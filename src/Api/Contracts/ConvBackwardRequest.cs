using ConvService.Api.Json;
using ConvService.Api.Plans;

namespace ConvService.Api.Contracts;

/// <summary>The gradients of a convolution: the forward fields plus the gradient flowing back into its output.</summary>
public sealed record ConvBackwardRequest : ConvRequest, IJsonBodyRequest<ConvBackwardRequest>, IPlannedRequest<ConvBackwardRequest, ConvPlan>
{
    /// <summary>∂L/∂output, of the forward output's shape. Optional: absent means all ones (the gradient of the output's sum).</summary>
    public JsonTensor? GradOutput { get; init; }

    public PlanResult<ConvPlan> CreatePlan(PlanContext context) => !Plannable ? PlanResult<ConvPlan>.Unplanned :
        ConvPlan.Backward(Input!.Shape, Kernel!.Shape, Bias?.Shape, GradOutput?.Shape, ToOptions(), Dtype ?? DType.Float64, context.Limits);

    public ConvBackwardRequest WithPlan(ConvPlan plan) => this with { Plan = plan };

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        GradOutput?.Dispose();
    }
}
