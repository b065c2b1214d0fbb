using System.Net;
using ConvService.Api.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ConvService.Api.Tests.Support;

/// <summary>
/// The app on a real Kestrel socket (a browser cannot reach the in-memory TestServer, and only Kestrel enforces its
/// connection limits): loopback, a free port, started on the first call to <see cref="Address"/>.
/// </summary>
public class KestrelApiFactory : WebApplicationFactory<Program>
{
    public KestrelApiFactory() => UseKestrel(options => options.Listen(IPAddress.Loopback, 0));

    /// <summary>The bound address, e.g. http://127.0.0.1:40123.</summary>
    public Uri Address
    {
        get
        {
            StartServer();
            var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
            return new Uri(addresses.Addresses.Single());
        }
    }

    /// <summary>Settings of the "Limits" section for this host.</summary>
    protected virtual IReadOnlyDictionary<string, string> Limits => new Dictionary<string, string>();

    /// <summary>Other settings for this host, by their full key ("ForwardedHeaders:KnownProxies:0", …).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    // UseKestrel registers Kestrel's services after the app's, its memory pools among them; in the real host the app's
    // come last, so the app's blocks are registered once more, after everything else, as the service runs.
    protected override IHost CreateHost(IHostBuilder builder)
    {
        builder.ConfigureServices(services => services.AddTransportMemory());
        return base.CreateHost(builder);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing").UseSetting("Serilog:MinimumLevel:Default", "Warning");
        foreach (var (key, value) in Limits)
            builder.UseSetting($"Limits:{key}", value);
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
    }
}
