using System.Collections.Frozen;
using System.Text.Json.Serialization;
using ConvService.Api.Json;
using ConvService.Api.Plans;
using ConvService.Api.Plans.Learn;
using ConvService.Api.Wire;

namespace ConvService.Api.Contracts.Learn;

/// <summary>POST /conv/explain: a /conv/forward body plus the output cell to write out as its sum.</summary>
public sealed record ConvExplainRequest : ConvRequest, IJsonBodyRequest<ConvExplainRequest>, IPlannedRequest<ConvExplainRequest, ConvExplainPlan>
{
    public static FrozenSet<string> TensorFields { get; } = TensorArguments.Names("input", "kernel", "bias");

    public ConvExplainRequest WithTensors(TensorArguments tensors) =>
        this with { Input = tensors.Take("input"), Kernel = tensors.Take("kernel"), Bias = tensors.Take("bias") };

    /// <summary>An index into the output, in the output's rank: [i, j] for a plane, [o, i, j] unbatched, [n, o, i, j] batched. Required.</summary>
    public int[]? Cell { get; init; }

    /// <summary>The plan, once the validation filter has made it; never on the wire.</summary>
    [JsonIgnore]
    public ConvExplainPlan? ExplainPlan { get; init; }

    ConvExplainPlan? IPlannedRequest<ConvExplainRequest, ConvExplainPlan>.Plan => ExplainPlan;

    public PlanResult<ConvExplainPlan> CreatePlan(PlanContext context) => !Plannable || Cell is null ? PlanResult<ConvExplainPlan>.Unplanned :
        ConvExplainPlan.Output(Input!.Shape, Kernel!.Shape, Bias?.Shape, ToOptions(), Dtype ?? DType.Float64, Cell, context.Limits);

    public ConvExplainRequest WithPlan(ConvExplainPlan plan) => this with { ExplainPlan = plan };
}

/// <summary>POST /conv/backward/explain: a /conv/backward body plus which gradient (<see cref="Of"/>) and which of its cells.</summary>
public sealed record ConvBackwardExplainRequest : ConvRequest, IJsonBodyRequest<ConvBackwardExplainRequest>, IPlannedRequest<ConvBackwardExplainRequest, ConvExplainPlan>
{
    public static FrozenSet<string> TensorFields { get; } = TensorArguments.Names("input", "kernel", "bias", "gradOutput");

    public ConvBackwardExplainRequest WithTensors(TensorArguments tensors) =>
        this with { Input = tensors.Take("input"), Kernel = tensors.Take("kernel"), Bias = tensors.Take("bias"), GradOutput = tensors.Take("gradOutput") };

    /// <summary>∂L/∂output, of the forward output's shape. Optional: absent means all ones (the gradient of the output's sum).</summary>
    public RequestTensor? GradOutput { get; init; }

    /// <summary>The gradient to explain: "gradInput", "gradKernel" or "gradBias". Required.</summary>
    public string? Of { get; init; }

    /// <summary>An index into that gradient, in the rank of what it is the gradient of (the input, the kernel, or [o] for the bias). Required.</summary>
    public int[]? Cell { get; init; }

    /// <summary>The plan, once the validation filter has made it; never on the wire.</summary>
    [JsonIgnore]
    public ConvExplainPlan? ExplainPlan { get; init; }

    ConvExplainPlan? IPlannedRequest<ConvBackwardExplainRequest, ConvExplainPlan>.Plan => ExplainPlan;

    public PlanResult<ConvExplainPlan> CreatePlan(PlanContext context) =>
        !Plannable || Cell is null || ExplainedTensors.GradientOf(Of) is not { } of ? PlanResult<ConvExplainPlan>.Unplanned :
        ConvExplainPlan.Gradient(Input!.Shape, Kernel!.Shape, Bias?.Shape, GradOutput?.Shape, ToOptions(), Dtype ?? DType.Float64, of, Cell, context.Limits);

    public ConvBackwardExplainRequest WithPlan(ConvExplainPlan plan) => this with { ExplainPlan = plan };

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        GradOutput?.Dispose();
    }
}
