using ConvService.Api.Errors;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Hosting;

/// <summary>
/// A time limit per request (<see cref="ServiceLimits.RequestTimeout"/>) through the request-timeouts middleware:
/// it cancels <c>RequestAborted</c>, the kernels stop at their next poll, and the middleware turns the resulting
/// <see cref="OperationCanceledException"/> into a 504 problem.
/// </summary>
public static class Timeouts
{
    public static IServiceCollection AddRequestTimeLimit(this IServiceCollection services)
    {
        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<ServiceLimits>>((options, limits) =>
        {
            var timeout = limits.Value.RequestTimeout;
            options.DefaultPolicy = new RequestTimeoutPolicy
            {
                Timeout = timeout,
                TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
                WriteTimeoutResponse = context => context.RequestServices.GetRequiredService<IProblemDetailsService>()
                    .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = BodyProblems.TimedOut(timeout) }).AsTask(),
            };
        });
        return services;
    }
}
