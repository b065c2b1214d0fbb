using ConvService.Api.Json;
using ConvService.Api.Plans;

namespace ConvService.Api.Contracts;

/// <summary>A convolution (cross-correlation) in 1, 2 or 3 spatial dimensions with the options of PyTorch's <c>conv1d/2d/3d</c>.</summary>
public sealed record ConvForwardRequest : ConvRequest, IJsonBodyRequest<ConvForwardRequest>, IPlannedRequest<ConvForwardRequest, ConvPlan>
{
    public PlanResult<ConvPlan> CreatePlan(PlanContext context) => !Plannable ? PlanResult<ConvPlan>.Unplanned :
        ConvPlan.Forward(Input!.Shape, Kernel!.Shape, Bias?.Shape, ToOptions(), Dtype ?? DType.Float64, context.Limits);

    public ConvForwardRequest WithPlan(ConvPlan plan) => this with { Plan = plan };
}
