using ConvService.Api.Errors;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Hosting;

/// <summary>
/// Admission to a computation: an endpoint filter, placed after the validation filter, takes a
/// <see cref="ComputeSlots"/> slot once the body has been read and validated, and gives it back when the handler
/// returns, so neither a slow upload nor the writing of a response holds one. When the slots and the queue are full
/// the answer is 429 with Retry-After, and readiness (/health/ready) is 503 until a place frees up.
/// Endpoints that compute nothing (health, metrics, Swagger, /) never wait.
/// </summary>
public static class Admission
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddAdmission(this IServiceCollection services)
    {
        services.AddSingleton<ComputeSlots>();
        services.AddHealthChecks().AddCheck<ComputeQueueCheck>("compute-queue", tags: [ReadyTag]);
        return services;
    }

    /// <summary>Takes a compute slot around the handler of each endpoint that reads a computation request.</summary>
    public static TBuilder WithComputeSlot<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((context, next) =>
        {
            if (!context.MethodInfo.GetParameters().Any(p => IsComputationRequest(p.ParameterType)))
                return next;
            var slots = context.ApplicationServices.GetRequiredService<ComputeSlots>();
            var retryAfter = context.ApplicationServices.GetRequiredService<IOptions<ServiceLimits>>().Value.RetryAfterSeconds;
            return async invocation =>
            {
                using var lease = await slots.EnterAsync(invocation.HttpContext.RequestAborted);
                if (!lease.IsAcquired)
                    return Rejected(invocation.HttpContext, retryAfter);
                return await next(invocation);
            };
        });

    private static bool IsComputationRequest(Type type) => typeof(IComputationRequest).IsAssignableFrom(type);

    private static IResult Rejected(HttpContext context, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(BodyProblems.Overloaded(retryAfterSeconds));
    }

    /// <summary>Unhealthy (so /health/ready answers 503) while the next computation would be turned away.</summary>
    private sealed class ComputeQueueCheck(ComputeSlots slots) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(slots.IsFull
                ? HealthCheckResult.Unhealthy($"every compute slot is taken and the queue is full ({slots.Waiting} waiting)")
                : HealthCheckResult.Healthy());
    }
}
