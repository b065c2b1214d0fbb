using ConvService.Api.Access;
using OpenTelemetry.Metrics;

namespace ConvService.Api.Hosting;

/// <summary>
/// OpenTelemetry: ASP.NET Core request counts and durations plus <see cref="ComputeMetrics"/>, scraped by
/// Prometheus at /metrics. No tracing pipeline: nothing would export it, and ASP.NET Core already starts an Activity
/// per request, whose trace id every log event carries (@tr in compact JSON).
/// </summary>
public static class Telemetry
{
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// ASP.NET Core's meters that /metrics exports: requests (http.server.request.duration, by route and status, which
    /// counts the limiter's 429s too, and active requests), Kestrel's connections, and unhandled exceptions. Not routing's
    /// match attempts nor the rate limiter's lease gauges and histograms, which the instrumentation package would also
    /// subscribe: several measurements on every request (3% of the seed's time in-process) that no one reads.
    /// </summary>
    public static readonly string[] AspNetCoreMeters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Diagnostics"];

    public static IServiceCollection AddTelemetry(this IServiceCollection services)
    {
        services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddMeter(AspNetCoreMeters)
                .AddMeter(ComputeMetrics.MeterName)
                .AddPrometheusExporter());
        return services;
    }

    /// <summary>GET /metrics in the Prometheus text format (it never waits for a compute slot).</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath).OpenToAll();
        return app;
    }
}
