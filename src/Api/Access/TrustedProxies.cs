using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace ConvService.Api.Access;

/// <summary>
/// X-Forwarded-For and X-Forwarded-Proto through the framework's forwarded-headers middleware, trusted only from the
/// proxies of the "ForwardedHeaders" configuration section: <c>KnownProxies</c> (addresses) and <c>KnownNetworks</c>
/// (CIDR ranges), such as the nginx of docker-compose.yml. None configured, none is trusted (not even loopback, which
/// the framework would trust by default): a client cannot choose the address the per-client limiter counts it under
/// by sending the header itself. With one proxy (<c>ForwardLimit</c> 1, the default) the address taken is the one that
/// proxy saw, whatever the client prepended.
/// </summary>
public static class TrustedProxies
{
    public const string Section = "ForwardedHeaders";

    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var proxies = section.GetSection(nameof(ForwardedHeadersOptions.KnownProxies)).Get<string[]>() ?? [];
        var networks = section.GetSection("KnownNetworks").Get<string[]>() ?? [];
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            // Empty lists would mean "any sender" to the middleware, so with no proxy configured the headers are not read at all.
            options.ForwardedHeaders = proxies.Length + networks.Length > 0 ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto : ForwardedHeaders.None;
            options.ForwardLimit = section.GetValue<int?>(nameof(options.ForwardLimit)) ?? 1;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in networks)
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        return services;
    }

    /// <summary>The forwarded-headers middleware, when a proxy is configured (first, so that everything after sees the client's address).</summary>
    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        var section = app.Configuration.GetSection(Section);
        if (section.GetSection(nameof(ForwardedHeadersOptions.KnownProxies)).GetChildren().Any() || section.GetSection("KnownNetworks").GetChildren().Any())
            app.UseForwardedHeaders();
        return app;
    }
}
