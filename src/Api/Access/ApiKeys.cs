using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Access;

/// <summary>
/// The keys of the "Auth" configuration section: <c>Auth:ApiKeys</c>, a list (<c>Auth__ApiKeys__0=…</c>) or named
/// keys (<c>Auth__ApiKeys__classroom=…</c>). None configured: every route is open, as before keys existed.
/// </summary>
public sealed class ApiKeyOptions : AuthenticationSchemeOptions
{
    public const string Section = "Auth";

    /// <summary>Each key by its client's name (a list's index when the keys are a list); the name, never the key, identifies the client.</summary>
    public Dictionary<string, string> ApiKeys { get; set; } = [];
}

/// <summary>
/// Optional API keys through the framework's authentication and authorization: when <c>Auth:ApiKeys</c> holds keys,
/// every endpoint requires a valid <c>X-Api-Key</c> header (the fallback policy) except those opened with
/// <see cref="Access.OpenToAll{TBuilder}"/> (health, metrics, the inference protocol's probes and metadata, the
/// playground) and the pages served before authorization (Swagger UI and its document, static files). A request
/// without a valid key is 401 before its body is read: problem+json, or <c>{"error"}</c> under /v2. Keys are compared
/// in constant time (SHA-256 digests with <see cref="CryptographicOperations.FixedTimeEquals"/>, so neither their
/// bytes nor their length leak through timing) and never logged: the client is known by the key's name.
/// </summary>
public static class ApiKeys
{
    public const string Scheme = "ApiKey";
    public const string Header = "X-Api-Key";

    public static WebApplicationBuilder AddApiKeys(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(ApiKeyOptions.Section);
        // Unconfigured, nothing is registered: no authentication runs (and none is paid for at start-up or per request).
        if (!section.GetSection(nameof(ApiKeyOptions.ApiKeys)).GetChildren().Any(k => !string.IsNullOrEmpty(k.Value)))
            return builder;
        builder.Services.AddAuthentication(Scheme)
            .AddScheme<ApiKeyOptions, ApiKeyHandler>(Scheme, options => options.ApiKeys = Keys(section));
        builder.Services.AddAuthorization(options =>
            options.FallbackPolicy = new AuthorizationPolicyBuilder(Scheme).RequireAuthenticatedUser().Build());
        builder.Services.Configure<Swashbuckle.AspNetCore.SwaggerGen.SwaggerGenOptions>(OpenApi.ApiKeyOperationFilter.Describe);
        return builder;
    }

    // Read by hand rather than bound: the compile-time binder cannot bind AuthenticationSchemeOptions (its TimeProvider).
    private static Dictionary<string, string> Keys(IConfigurationSection section) =>
        section.GetSection(nameof(ApiKeyOptions.ApiKeys)).GetChildren()
            .Where(k => !string.IsNullOrEmpty(k.Value))
            .ToDictionary(k => k.Key, k => k.Value!, StringComparer.Ordinal);

    /// <summary>Authentication and authorization, when keys are configured; placed after the pages and documentation, which stay open.</summary>
    public static WebApplication UseApiKeys(this WebApplication app)
    {
        if (app.Services.GetService<IAuthenticationSchemeProvider>() is null)
            return app;
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>Authenticates <see cref="Header"/> against the configured keys; challenges with a 401 that says what was wrong.</summary>
    private sealed class ApiKeyHandler(IOptionsMonitor<ApiKeyOptions> options, ILoggerFactory logger, UrlEncoder encoder, IProblemDetailsService problems)
        : AuthenticationHandler<ApiKeyOptions>(options, logger, encoder)
    {
        private (string Name, byte[] Digest)[]? _keys;

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue(Header, out var sent) || sent.Count == 0 || string.IsNullOrEmpty(sent[0]))
                return Task.FromResult(AuthenticateResult.NoResult());
            var digest = Digest(sent[0]!);
            string? client = null;
            foreach (var (name, key) in _keys ??= Options.ApiKeys.Where(k => !string.IsNullOrEmpty(k.Value)).Select(k => (k.Key, Digest(k.Value))).ToArray())
            {
                // Every key is compared, the matching one or not, so the time taken says nothing of which matched.
                if (CryptographicOperations.FixedTimeEquals(digest, key))
                    client = name;
            }
            return Task.FromResult(client is null
                ? AuthenticateResult.Fail("the API key is not one of the configured keys")
                : AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, client)], ApiKeys.Scheme)), ApiKeys.Scheme)));
        }

        protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            var missing = !Request.Headers.ContainsKey(Header);
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers.WWWAuthenticate = ApiKeys.Scheme;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = Context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status401Unauthorized,
                    Title = "An API key is required.",
                    Detail = missing
                        ? $"This service requires an API key: send it in the {Header} header."
                        : $"The key sent in the {Header} header is not one of this service's keys.",
                },
            });
        }

        private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
    }
}
