using ConvService.Api.Endpoints;

namespace ConvService.Api.Access;

/// <summary>
/// Headers that make the service's answers safe to show in a browser. Every response: <c>X-Content-Type-Options:
/// nosniff</c> and <c>Referrer-Policy: no-referrer</c>. The pages (Swagger UI under /swagger and the playground under
/// /playground, by path, whether an endpoint or static files serve them): a Content-Security-Policy that allows only
/// the app's own scripts, styles, fonts, images (and data: images, Swagger UI's icons) and API, and no framing.
/// CORS stays off (browsers keep other sites' pages from reading answers) unless <c>Cors:Origins</c> lists origins,
/// which may then call every route with any header (X-Api-Key among them).
/// </summary>
public static class PageSecurity
{
    public const string CorsSection = "Cors";

    /// <summary>The policy of the pages: nothing from another origin, no inline script, no plug-ins, no framing.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Path prefixes of the pages the policy covers.</summary>
    public static readonly string[] Pages = [Routes.Swagger, "/playground"];

    public static IServiceCollection AddPageSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = CorsOrigins(configuration);
        if (origins.Length > 0)
            services.AddCors(cors => cors.AddDefaultPolicy(policy => policy.WithOrigins(origins).WithMethods("GET", "POST").AllowAnyHeader().WithExposedHeaders("Retry-After")));
        return services;
    }

    /// <summary>The headers on every response (set before the answer starts, so errors carry them too), and CORS when configured.</summary>
    public static WebApplication UsePageSecurity(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            // When the answer starts, not now: the exception handler clears the headers of a response it replaces.
            context.Response.OnStarting(static state =>
            {
                var context = (HttpContext)state;
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                if (IsPage(context.Request.Path))
                    headers.ContentSecurityPolicy = ContentSecurityPolicy;
                return Task.CompletedTask;
            }, context);
            return next(context);
        });
        if (CorsOrigins(app.Configuration).Length > 0)
            app.UseCors();
        return app;
    }

    private static bool IsPage(PathString path) => Pages.Any(page => path.StartsWithSegments(page, StringComparison.OrdinalIgnoreCase));

    private static string[] CorsOrigins(IConfiguration configuration) =>
        configuration.GetSection(CorsSection).GetSection("Origins").Get<string[]>()?.Where(o => !string.IsNullOrWhiteSpace(o)).ToArray() ?? [];
}
