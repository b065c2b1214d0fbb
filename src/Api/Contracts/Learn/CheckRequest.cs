using System.Collections.Frozen;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using ConvService.Api.Json;
using ConvService.Api.Plans;
using ConvService.Api.Plans.Learn;
using ConvService.Api.Wire;

namespace ConvService.Api.Contracts.Learn;

/// <summary>POST /check: an answer to any conv or pool route, graded cell by cell against what the route computes.</summary>
public sealed record CheckRequest : IJsonBodyRequest<CheckRequest>, IPlannedRequest<CheckRequest, CheckPlan>, IDisposable
{
    /// <summary>No tensor fields: the body is read whole by System.Text.Json.</summary>
    public static FrozenSet<string> TensorFields { get; } = TensorArguments.Names();

    public CheckRequest WithTensors(TensorArguments tensors) => this;

    /// <summary>The route graded: "/conv/forward", "/conv/backward", "/conv/transpose", "/conv/transpose/backward", "/pool/{mode}" or "/pool/{mode}/backward". Required.</summary>
    public string? Operation { get; init; }

    /// <summary>That route's request body. Required.</summary>
    public JsonElement? Request { get; init; }

    /// <summary>The answer, shaped like the route's response: {"output": …}, {"gradInput": …, "gradKernel": …}; the fields given are graded. Required.</summary>
    public JsonElement? Answer { get; init; }

    /// <summary>A given value is right within tolerance·max(1, |expected|). Default 1e-6.</summary>
    [DefaultValue(1e-6)]
    public double? Tolerance { get; init; }

    /// <summary>Fields the contract does not define; each is reported as an error.</summary>
    [JsonExtensionData]
    // set, not init: generated metadata passes init-only properties to the constructor, which extension data cannot be.
    public Dictionary<string, JsonElement>? UnknownFields { get; set; }

    /// <summary>The plan, once the validation filter has made it; never on the wire.</summary>
    [JsonIgnore]
    public CheckPlan? Plan { get; init; }

    /// <remarks>
    /// Not planned while a field rule fails (the validator says which): a plan owns the graded request's tensors, and
    /// only a planned request reaches the handler that releases them.
    /// </remarks>
    public PlanResult<CheckPlan> CreatePlan(PlanContext context) =>
        Operation is null || Request is not { ValueKind: JsonValueKind.Object } request || Answer is not { ValueKind: JsonValueKind.Object } answer
            || Tolerance is < 0 || UnknownFields is { Count: > 0 }
            ? PlanResult<CheckPlan>.Unplanned
            : CheckPlan.Create(Operation, request, answer, Tolerance ?? 1e-6, context.Limits);

    public CheckRequest WithPlan(CheckPlan plan) => this with { Plan = plan };

    public void Dispose() => Plan?.Dispose();
}
