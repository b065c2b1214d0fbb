using System.Globalization;
using System.Threading.RateLimiting;
using ConvService.Api.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Access;

/// <summary>
/// Per-client fairness through the framework's rate limiting middleware: a partitioned limiter keyed by the client,
/// its API key's name when keys are configured (<see cref="ApiKeys"/>), else its address (the proxy's
/// X-Forwarded-For once <see cref="TrustedProxies"/> has vouched for it). Each client may have
/// <see cref="ServiceLimits.ClientPermits"/> requests in flight (two per processor by default), <see cref="ServiceLimits.ClientQueueLength"/>
/// more waiting in its own queue, and, when <see cref="ServiceLimits.ClientRequestsPerSecond"/> is set, start that many
/// per second; past that, 429 with Retry-After (problem+json, or <c>{"error"}</c> under /v2), so one client flooding
/// many connections cannot take the places every other client needs. Endpoints opened with
/// <see cref="Access.OpenToAll{TBuilder}"/> and the pages served before the limiter are never limited.
/// </summary>
public static class ClientLimits
{
    public static IServiceCollection AddClientLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<ServiceLimits>>((options, limits) =>
        {
            var l = limits.Value;
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) => RejectedAsync(context, l.RetryAfterSeconds);
            var concurrency = PartitionedRateLimiter.Create<HttpContext, string>(context => l.ClientPermits == 0
                ? RateLimitPartition.GetNoLimiter(ClientOf(context))
                : RateLimitPartition.GetConcurrencyLimiter(ClientOf(context), _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = l.ClientPermits,
                    QueueLimit = l.ClientQueueLength,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                }));
            options.GlobalLimiter = l.ClientRequestsPerSecond == 0
                ? concurrency
                : PartitionedRateLimiter.CreateChained(concurrency, PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    RateLimitPartition.GetTokenBucketLimiter(ClientOf(context), _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = l.ClientRequestsPerSecond,
                        TokensPerPeriod = l.ClientRequestsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                    })));
        });
        return services;
    }

    /// <summary>The client a request counts against: "key:NAME" for a request authenticated by an API key, else "ip:ADDRESS".</summary>
    public static string ClientOf(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, AuthenticationType: ApiKeys.Scheme, Name: { } name }
            ? $"key:{name}"
            : $"ip:{context.Connection.RemoteIpAddress}";

    private static async ValueTask RejectedAsync(OnRejectedContext rejected, int retryAfterSeconds)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : retryAfterSeconds;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests from this client.",
                Detail = $"This client has as many requests in flight, waiting or started this second as the service allows one client; retry after {seconds} s.",
            },
        });
    }
}
