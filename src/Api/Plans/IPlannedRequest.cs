using ConvService.Domain.Geometry;

namespace ConvService.Api.Plans;

/// <summary>
/// How a request flows (DESIGN.md "Request flow"): bind → validate once into an immutable plan → admit → compute → write.
/// A request record opts in by implementing <see cref="IPlannedRequest{TSelf, TPlan}"/>; the endpoint filter of
/// <c>WithRequestValidation()</c> then runs the record's FluentValidation field rules (presence, spatialDims, per-axis
/// list lengths, unknown fields, dtype ranges), calls <see cref="IPlannedRequest{TSelf, TPlan}.CreatePlan"/> once (the
/// shape rules and limits, reported together with the field failures), answers 400 with every problem, or hands the
/// handler <c>request.WithPlan(plan)</c> in place of the bound request. Handlers read <see cref="IPlannedRequest{TSelf, TPlan}.Plan"/>
/// (via <see cref="PlannedRequests.RequirePlan"/>); filters that run after validation (admission) read
/// <see cref="Plan"/> and its cost. A new route: a request record implementing the interface with a plan type, a
/// validator for its fields, and a handler that computes from the plan.
/// </summary>
public interface IPlannedRequest
{
    /// <summary>The plan, once the validation filter has made it; null on a request still as bound.</summary>
    IPlan? Plan { get; }

    /// <summary>The planned copy of this request, or the problems that stop it (the filter's one call).</summary>
    (IPlannedRequest? Planned, IReadOnlyList<ParameterProblem> Problems) Resolve(PlanContext context);
}

/// <inheritdoc cref="IPlannedRequest"/>
public interface IPlannedRequest<TSelf, TPlan> : IPlannedRequest
    where TSelf : class, IPlannedRequest<TSelf, TPlan>
    where TPlan : class, IPlan
{
    /// <summary>The plan, once made; null on a request still as bound.</summary>
    new TPlan? Plan { get; }

    IPlan? IPlannedRequest.Plan => Plan;

    /// <summary>
    /// Resolves the request into its plan or the rules it breaks. Runs even when a field rule failed, so that a 400 lists
    /// everything at once; <see cref="PlanResult{TPlan}.Unplanned"/> when the fields it needs are missing or unreadable.
    /// </summary>
    PlanResult<TPlan> CreatePlan(PlanContext context);

    /// <summary>This request carrying <paramref name="plan"/> (records: <c>this with { Plan = plan }</c>).</summary>
    TSelf WithPlan(TPlan plan);

    (IPlannedRequest? Planned, IReadOnlyList<ParameterProblem> Problems) IPlannedRequest.Resolve(PlanContext context)
    {
        var result = CreatePlan(context);
        return result.Plan is null ? (null, result.Problems) : (WithPlan(result.Plan), []);
    }
}

public static class PlannedRequests
{
    /// <summary>The request's plan; a handler reached without one is a bug of ours (a route mapped without the validation filter), a 500.</summary>
    /// <exception cref="InvalidOperationException">The request was not planned.</exception>
    public static TPlan RequirePlan<TSelf, TPlan>(this IPlannedRequest<TSelf, TPlan> request)
        where TSelf : class, IPlannedRequest<TSelf, TPlan>
        where TPlan : class, IPlan =>
        request.Plan ?? throw new InvalidOperationException($"{typeof(TSelf).Name} reached its handler without a plan: map its route with WithRequestValidation()");

    /// <summary>The plan of a filter invocation's planned request, for filters that run after validation (admission).</summary>
    public static IPlan? PlanOf(EndpointFilterInvocationContext invocation) =>
        invocation.Arguments.OfType<IPlannedRequest>().Select(r => r.Plan).FirstOrDefault(p => p is not null);
}
