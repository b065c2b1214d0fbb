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
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = section.GetValue<int?>(nameof(options.ForwardLimit)) ?? 1;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in section.GetSection(nameof(options.KnownProxies)).Get<string[]>() ?? [])
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in section.GetSection("KnownNetworks").Get<string[]>() ?? [])
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        return services;
    }
}
