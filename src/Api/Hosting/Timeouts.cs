using ConvService.Api.Errors;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Hosting;

/// <summary>
/// A time limit per request (<see cref="ServiceLimits.RequestTimeout"/>) through the request-timeouts middleware:
/// it cancels <c>RequestAborted</c>, the kernels stop at their next poll, and the middleware turns the resulting
/// <see cref="OperationCanceledException"/> into a 504 problem. The limit covers the upload, the wait for a compute
/// slot and the computation; <see cref="EndAtAnswer"/> ends it when the answer is ready, so an answer computed in
/// time is written whole (Kestrel's minimum response data rate still closes a client that reads too slowly).
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

    /// <summary>
    /// Ends the time limit of <paramref name="context"/>'s request once its answer is computed, before a byte of it is
    /// written. Were it left running, it could cancel the writing halfway, when the middleware can no longer answer
    /// 504 and the client gets a cut-off answer.
    /// </summary>
    /// <exception cref="OperationCanceledException">The limit passed (or the client left) before the answer was ready: nothing is written yet, so the answer is still a 504.</exception>
    public static void EndAtAnswer(HttpContext context)
    {
        // Disabled first, then checked: a limit that expired before it was disabled has already cancelled the token.
        context.Features.Get<IHttpRequestTimeoutFeature>()?.DisableTimeout();
        context.RequestAborted.ThrowIfCancellationRequested();
    }
}
