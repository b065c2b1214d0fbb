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
        // Through the web root's file provider, as the static files are served: under `dotnet run` the page is a static
        // web asset of the project (the app's folder, its content root, has no wwwroot), once published a file beside it.
        app.MapGet(Routes.Playground, (IWebHostEnvironment environment) =>
                environment.WebRootFileProvider.GetFileInfo("playground/index.html") is { Exists: true } page
                    ? Results.Stream(page.CreateReadStream(), "text/html; charset=utf-8")
                    : Results.NotFound())
            .WithName("Playground")
            .WithTags("Learn")
            .WithSummary("The playground: edit grids, click a cell, see its sum written out")
            .OpenToAll();
        return app;
    }
}
