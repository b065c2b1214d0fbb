using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ConvService.Api.Hosting;

/// <summary>
/// OpenTelemetry: ASP.NET Core request counts and durations plus <see cref="ComputeMetrics"/>, scraped by
/// Prometheus at /metrics; request tracing so that each log event carries its trace id (@tr in compact JSON).
/// </summary>
public static class Telemetry
{
    public const string MetricsPath = "/metrics";

    public static IServiceCollection AddTelemetry(this IServiceCollection services)
    {
        services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddMeter(ComputeMetrics.MeterName)
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation());
        return services;
    }

    /// <summary>GET /metrics in the Prometheus text format, outside the concurrency limit.</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath).DisableRateLimiting();
        return app;
    }
}
