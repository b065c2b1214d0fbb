using ConvService.Domain.Geometry;

namespace ConvService.Api.Plans;

/// <summary>A plan, or every rule the request breaks (each naming its field, as a 400 reports it).</summary>
public readonly record struct PlanResult<TPlan>(TPlan? Plan, IReadOnlyList<ParameterProblem> Problems)
    where TPlan : class, IPlan
{
    public static implicit operator PlanResult<TPlan>(TPlan plan) => new(plan, []);

    /// <summary>No plan and nothing to add: the request's field rules (which run first and are reported with this) already say why.</summary>
    public static PlanResult<TPlan> Unplanned => new(null, []);

    public static PlanResult<TPlan> Failed(IReadOnlyList<ParameterProblem> problems) => new(null, problems);

    public static PlanResult<TPlan> Failed(string field, string message) => new(null, [new ParameterProblem(field, message)]);
}
