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

    public static IServiceCollection AddTelemetry(this IServiceCollection services)
    {
        services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
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
