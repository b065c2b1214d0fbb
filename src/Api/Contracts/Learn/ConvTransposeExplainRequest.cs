using System.Collections.Frozen;
using System.Text.Json.Serialization;
using ConvService.Api.Json;
using ConvService.Api.Plans;
using ConvService.Api.Plans.Learn;
using ConvService.Api.Wire;

namespace ConvService.Api.Contracts.Learn;

/// <summary>POST /conv/transpose/explain: a /conv/transpose body plus the output cell to write out as its sum.</summary>
public sealed record ConvTransposeExplainRequest : ConvTransposeRequest, IJsonBodyRequest<ConvTransposeExplainRequest>, IPlannedRequest<ConvTransposeExplainRequest, ConvTransposeExplainPlan>
{
    public static FrozenSet<string> TensorFields { get; } = TensorArguments.Names("input", "kernel", "bias");

    public ConvTransposeExplainRequest WithTensors(TensorArguments tensors) =>
        this with { Input = tensors.Take("input"), Kernel = tensors.Take("kernel"), Bias = tensors.Take("bias") };

    /// <summary>An index into the output, in the output's rank. Required.</summary>
    public int[]? Cell { get; init; }

    /// <summary>The plan, once the validation filter has made it; never on the wire.</summary>
    [JsonIgnore]
    public ConvTransposeExplainPlan? ExplainPlan { get; init; }

    ConvTransposeExplainPlan? IPlannedRequest<ConvTransposeExplainRequest, ConvTransposeExplainPlan>.Plan => ExplainPlan;

    public PlanResult<ConvTransposeExplainPlan> CreatePlan(PlanContext context) => !Plannable || Cell is null ? PlanResult<ConvTransposeExplainPlan>.Unplanned :
        ConvTransposeExplainPlan.Create(Input!.Shape, Kernel!.Shape, Bias?.Shape, null, ToOptions(), Dtype ?? DType.Float64, ExplainedTensor.Output, Cell, context.Limits);

    public ConvTransposeExplainRequest WithPlan(ConvTransposeExplainPlan plan) => this with { ExplainPlan = plan };
}

/// <summary>POST /conv/transpose/backward/explain: a /conv/transpose/backward body plus which gradient and which of its cells.</summary>
public sealed record ConvTransposeBackwardExplainRequest : ConvTransposeRequest, IJsonBodyRequest<ConvTransposeBackwardExplainRequest>,
    IPlannedRequest<ConvTransposeBackwardExplainRequest, ConvTransposeExplainPlan>
{
    public static FrozenSet<string> TensorFields { get; } = TensorArguments.Names("input", "kernel", "bias", "gradOutput");

    public ConvTransposeBackwardExplainRequest WithTensors(TensorArguments tensors) =>
        this with { Input = tensors.Take("input"), Kernel = tensors.Take("kernel"), Bias = tensors.Take("bias"), GradOutput = tensors.Take("gradOutput") };

    /// <summary>∂L/∂output, of the output's shape. Optional: absent means all ones.</summary>
    public RequestTensor? GradOutput { get; init; }

    /// <summary>The gradient to explain: "gradInput", "gradKernel" or "gradBias". Required.</summary>
    public string? Of { get; init; }

    /// <summary>An index into that gradient, in the rank of what it is the gradient of. Required.</summary>
    public int[]? Cell { get; init; }

    /// <summary>The plan, once the validation filter has made it; never on the wire.</summary>
    [JsonIgnore]
    public ConvTransposeExplainPlan? ExplainPlan { get; init; }

    ConvTransposeExplainPlan? IPlannedRequest<ConvTransposeBackwardExplainRequest, ConvTransposeExplainPlan>.Plan => ExplainPlan;

    public PlanResult<ConvTransposeExplainPlan> CreatePlan(PlanContext context) =>
        !Plannable || Cell is null || ExplainedTensors.GradientOf(Of) is not { } of ? PlanResult<ConvTransposeExplainPlan>.Unplanned :
        ConvTransposeExplainPlan.Create(Input!.Shape, Kernel!.Shape, Bias?.Shape, GradOutput?.Shape, ToOptions(), Dtype ?? DType.Float64, of, Cell, context.Limits);

    public ConvTransposeBackwardExplainRequest WithPlan(ConvTransposeExplainPlan plan) => this with { ExplainPlan = plan };

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        GradOutput?.Dispose();
    }
}
