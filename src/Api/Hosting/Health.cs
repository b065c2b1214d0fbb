using ConvService.Api.Endpoints;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace ConvService.Api.Hosting;

/// <summary>
/// Health endpoints outside the concurrency limit, so that a busy service still answers its orchestrator:
/// /health/live (the process answers; runs no checks), /health/ready and /health (every registered check).
/// </summary>
public static class Health
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks(Routes.Health).DisableRateLimiting();
        app.MapHealthChecks(Routes.HealthLive, new HealthCheckOptions { Predicate = _ => false }).DisableRateLimiting();
        app.MapHealthChecks(Routes.HealthReady).DisableRateLimiting();
        return app;
    }
}
