using ConvService.Api.Errors;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Hosting;

/// <summary>
/// Admission to a computation: an endpoint filter, placed after the validation filter, reads the plan's cost, enters
/// the <see cref="ComputeLanes"/> lane it belongs to once the body has been read and validated, and leaves it when the
/// handler returns, so neither a slow upload, the JSON parsing nor the writing of a response holds a place; the time
/// limit ends there too (<see cref="Timeouts.EndAtAnswer"/>). When the
/// lane and its queue are full the answer is 429 with Retry-After, and readiness (/health/ready) is 503 while the
/// expensive lane is. Endpoints that compute nothing (health, metrics, Swagger, /) never wait.
/// </summary>
public static class Admission
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddAdmission(this IServiceCollection services)
    {
        services.AddSingleton<ComputeLanes>();
        services.AddHealthChecks().AddCheck<ComputeQueueCheck>("compute-queue", tags: [ReadyTag]);
        return services;
    }

    /// <summary>Admits the handler of each endpoint that reads a computation request to the lane its cost chooses.</summary>
    public static TBuilder WithComputeSlot<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((context, next) =>
        {
            var index = Array.FindIndex(context.MethodInfo.GetParameters(), p => typeof(IComputationRequest).IsAssignableFrom(p.ParameterType));
            if (index < 0)
                return next;
            var lanes = context.ApplicationServices.GetRequiredService<ComputeLanes>();
            var retryAfter = context.ApplicationServices.GetRequiredService<IOptions<ServiceLimits>>().Value.RetryAfterSeconds;
            return async invocation =>
            {
                var lane = lanes.LaneOf((invocation.Arguments[index] as IComputationRequest)?.Cost);
                using var lease = await lanes.EnterAsync(lane, invocation.HttpContext.RequestAborted);
                if (!lease.IsAcquired)
                    return Rejected(invocation.HttpContext, retryAfter);
                var answer = await lanes.RunAsync(lane, () => next(invocation));
                Timeouts.EndAtAnswer(invocation.HttpContext);
                return answer;
            };
        });

    private static IResult Rejected(HttpContext context, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(BodyProblems.Overloaded(retryAfterSeconds));
    }

    /// <summary>Unhealthy (so /health/ready answers 503) while the next expensive computation would be turned away.</summary>
    private sealed class ComputeQueueCheck(ComputeLanes lanes) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(lanes.IsFull
                ? HealthCheckResult.Unhealthy($"every compute slot is taken and the queue is full ({lanes.Waiting} waiting)")
                : HealthCheckResult.Healthy());
    }
}
