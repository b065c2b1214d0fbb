using ConvService.Api.Access;

namespace ConvService.Api.Endpoints;

/// <summary>
/// GET /playground: the learn-mode page, static files of the app itself (wwwroot/playground: HTML, one stylesheet, one
/// script, nothing from another host). Like health and Swagger, it never waits for a compute slot, and it stays open to
/// all (no API key, no per-client limit); its Content-Security-Policy comes from <see cref="Access.PageSecurity"/>.
/// </summary>
public static class PlaygroundEndpoints
{
    public static WebApplication UsePlayground(this WebApplication app)
    {
        // Static files answer before the key check and the rate limiter: the page's script and stylesheet are open to all and never queue behind computations.
        app.UseStaticFiles();
        return app;
    }

    public static IEndpointRouteBuilder MapPlayground(this IEndpointRouteBuilder app)
    {
        app.MapGet(Routes.Playground, (IWebHostEnvironment environment) =>
                TypedResults.PhysicalFile(Path.Combine(environment.WebRootPath, "playground", "index.html"), "text/html; charset=utf-8"))
            .WithName("Playground")
            .WithTags("Learn")
            .WithSummary("The playground: edit grids, click a cell, see its sum written out")
            .OpenToAll();
        return app;
    }
}
