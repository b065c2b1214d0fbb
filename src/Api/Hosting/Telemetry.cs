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

    /// <summary>
    /// Builds the meter provider on another core while the main thread configures the pipeline and maps the routes
    /// (Program.cs maps /metrics, which needs it, last). Built on the main thread it took about 50 ms of start-up on
    /// the Zen 5 machine, whose other core is otherwise idle then; built ahead, the first /health 200 came about 25 ms
    /// sooner (the median of ten starts each, by turns). A failure to build it shows where /metrics is mapped, as
    /// before.
    /// </summary>
    public static WebApplication BuildMetersAhead(this WebApplication app)
    {
        _ = Task.Run(() => app.Services.GetService<MeterProvider>());
        return app;
    }

    /// <summary>GET /metrics in the Prometheus text format (it never waits for a compute slot).</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath).OpenToAll();
        return app;
    }
}
