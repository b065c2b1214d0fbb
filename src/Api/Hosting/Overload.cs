using System.Threading.RateLimiting;
using ConvService.Api.Errors;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Hosting;

/// <summary>
/// One global concurrency limiter: <see cref="ServiceLimits.Permits"/> requests compute at once, up to
/// <see cref="ServiceLimits.QueueLength"/> wait in arrival order, and the rest get 429 with Retry-After.
/// Endpoints marked <c>DisableRateLimiting()</c> (health, metrics) are never queued.
/// </summary>
public static class Overload
{
    public static IServiceCollection AddOverloadProtection(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<ServiceLimits>>((options, limits) =>
        {
            var (permits, queue, retryAfter) = (limits.Value.Permits, limits.Value.QueueLength, limits.Value.RetryAfterSeconds);
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(_ => RateLimitPartition.GetConcurrencyLimiter("compute", _ =>
                new ConcurrencyLimiterOptions { PermitLimit = permits, QueueLimit = queue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst }));
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) => WriteRejection(context.HttpContext, retryAfter);
        });
        return services;
    }

    private static ValueTask WriteRejection(HttpContext context, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        return problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = BodyProblems.Overloaded(retryAfterSeconds) });
    }
}
