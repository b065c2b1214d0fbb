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

    /// <summary>
    /// The policy of the pages: nothing from another origin, no inline script, no plug-ins, no framing. The one inline
    /// style allowed, by its SHA-256, is the &lt;style&gt; element Swagger UI's own script adds (the browser test fails,
    /// naming the new hash, if an upgrade of Swagger UI changes it).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' '" + SwaggerUiStyle + "'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private const string SwaggerUiStyle = "sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w=";

    /// <summary>Path prefixes of the pages the policy covers.</summary>
    public static readonly string[] Pages = [Routes.Swagger, Routes.Playground];

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

    private static bool IsPage(PathString path)
    {
        foreach (var page in Pages)
        {
            if (path.StartsWithSegments(page, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    private static string[] CorsOrigins(IConfiguration configuration) =>
        configuration.GetSection(CorsSection).GetSection("Origins").Get<string[]>()?.Where(o => !string.IsNullOrWhiteSpace(o)).ToArray() ?? [];
}
