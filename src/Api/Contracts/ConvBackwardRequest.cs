using System.Collections.Frozen;
using ConvService.Api.Json;
using ConvService.Api.Plans;
using ConvService.Api.Wire;

namespace ConvService.Api.Contracts;

/// <summary>The gradients of a convolution: the forward fields plus the gradient flowing back into its output.</summary>
public sealed record ConvBackwardRequest : ConvRequest, IJsonBodyRequest<ConvBackwardRequest>, IPlannedRequest<ConvBackwardRequest, ConvPlan>
{
    /// <summary>∂L/∂output, of the forward output's shape. Optional: absent means all ones (the gradient of the output's sum).</summary>
    public RequestTensor? GradOutput { get; init; }

    public PlanResult<ConvPlan> CreatePlan(PlanContext context) => !Plannable ? PlanResult<ConvPlan>.Unplanned :
        ConvPlan.Backward(Input!.Shape, Kernel!.Shape, Bias?.Shape, GradOutput?.Shape, ToOptions(), Dtype ?? DType.Float64, context.Limits);

    public ConvBackwardRequest WithPlan(ConvPlan plan) => this with { Plan = plan };

    public static FrozenSet<string> TensorFields { get; } = TensorArguments.Names("input", "kernel", "bias", "gradOutput");

    public ConvBackwardRequest WithTensors(TensorArguments tensors) =>
        this with { Input = tensors.Take("input"), Kernel = tensors.Take("kernel"), Bias = tensors.Take("bias"), GradOutput = tensors.Take("gradOutput") };

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        GradOutput?.Dispose();
    }
}
