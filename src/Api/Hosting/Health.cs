using ConvService.Api.Access;
using ConvService.Api.Endpoints;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace ConvService.Api.Hosting;

/// <summary>
/// Health endpoints, open to all (no key, no per-client limit) and never waiting for a compute slot: /health/live answers 200 while the process runs (no
/// checks: what a restart decision needs); /health/ready and /health answer 503 while the compute queue is full
/// (what a balancer needs to stop sending).
/// </summary>
public static class Health
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks(Routes.Health).OpenToAll();
        app.MapHealthChecks(Routes.HealthLive, new HealthCheckOptions { Predicate = _ => false }).OpenToAll();
        app.MapHealthChecks(Routes.HealthReady, new HealthCheckOptions { Predicate = check => check.Tags.Contains(Admission.ReadyTag) }).OpenToAll();
        return app;
    }
}
