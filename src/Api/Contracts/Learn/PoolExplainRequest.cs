using System.Collections.Frozen;
using System.Text.Json.Serialization;
using ConvService.Api.Json;
using ConvService.Api.Plans;
using ConvService.Api.Plans.Learn;
using ConvService.Api.Wire;

namespace ConvService.Api.Contracts.Learn;

/// <summary>POST /pool/{mode}/explain: a /pool/{mode} body plus the output cell whose window to explain.</summary>
public sealed record PoolExplainRequest : PoolRequest, IJsonBodyRequest<PoolExplainRequest>, IPlannedRequest<PoolExplainRequest, PoolExplainPlan>
{
    public static FrozenSet<string> TensorFields { get; } = TensorArguments.Names("input", "randomSamples");

    public PoolExplainRequest WithTensors(TensorArguments tensors) =>
        this with { Input = tensors.Take("input"), RandomSamples = tensors.Take("randomSamples") };

    /// <summary>An index into the output, in the output's rank. Required.</summary>
    public int[]? Cell { get; init; }

    /// <summary>The plan, once the validation filter has made it; never on the wire.</summary>
    [JsonIgnore]
    public PoolExplainPlan? ExplainPlan { get; init; }

    PoolExplainPlan? IPlannedRequest<PoolExplainRequest, PoolExplainPlan>.Plan => ExplainPlan;

    public PlanResult<PoolExplainPlan> CreatePlan(PlanContext context) => !Plannable || Cell is null ? PlanResult<PoolExplainPlan>.Unplanned :
        PoolExplainPlan.Create(Call(context), null, ExplainedTensor.Output, Cell, context.Limits);

    public PoolExplainRequest WithPlan(PoolExplainPlan plan) => this with { ExplainPlan = plan };
}

/// <summary>POST /pool/{mode}/backward/explain: a /pool/{mode}/backward body plus the input cell whose gradient to explain.</summary>
public sealed record PoolBackwardExplainRequest : PoolRequest, IJsonBodyRequest<PoolBackwardExplainRequest>, IPlannedRequest<PoolBackwardExplainRequest, PoolExplainPlan>
{
    public static FrozenSet<string> TensorFields { get; } = TensorArguments.Names("input", "randomSamples", "gradOutput");

    public PoolBackwardExplainRequest WithTensors(TensorArguments tensors) =>
        this with { Input = tensors.Take("input"), RandomSamples = tensors.Take("randomSamples"), GradOutput = tensors.Take("gradOutput") };

    /// <summary>A tensor of the forward output's shape; all ones (the gradient of the output's sum) when absent.</summary>
    public RequestTensor? GradOutput { get; init; }

    /// <summary>An index into the input (and gradInput), in the input's rank. Required.</summary>
    public int[]? Cell { get; init; }

    /// <summary>The plan, once the validation filter has made it; never on the wire.</summary>
    [JsonIgnore]
    public PoolExplainPlan? ExplainPlan { get; init; }

    PoolExplainPlan? IPlannedRequest<PoolBackwardExplainRequest, PoolExplainPlan>.Plan => ExplainPlan;

    public PlanResult<PoolExplainPlan> CreatePlan(PlanContext context) => !Plannable || Cell is null ? PlanResult<PoolExplainPlan>.Unplanned :
        PoolExplainPlan.Create(Call(context), GradOutput?.Shape, ExplainedTensor.GradInput, Cell, context.Limits);

    public PoolBackwardExplainRequest WithPlan(PoolExplainPlan plan) => this with { ExplainPlan = plan };

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        GradOutput?.Dispose();
    }
}
