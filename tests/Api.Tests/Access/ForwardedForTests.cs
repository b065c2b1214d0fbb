using System.Net;
using ConvService.Api.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace ConvService.Api.Tests.Access;

/// <summary>
/// X-Forwarded-For decides the client only when it comes from a configured proxy. On a real socket (the request's
/// remote address is 127.0.0.1), one request in flight per client and no queue: from a trusted proxy, two forwarded
/// addresses are two clients; from anyone else, the header is ignored and both requests are the socket's one client.
/// </summary>
public class ForwardedForTests(ForwardedForTests.TrustedProxyApiFactory trusted, ForwardedForTests.NoProxyApiFactory untrusted)
    : IClassFixture<ForwardedForTests.TrustedProxyApiFactory>, IClassFixture<ForwardedForTests.NoProxyApiFactory>
{
    [Fact]
    public async Task FromATrustedProxyEachForwardedAddressIsItsOwnClient()
    {
        using var client = new HttpClient { BaseAddress = trusted.Address };
        var held = client.SendAsync(Clients.Hold(forwardedFor: "203.0.113.7"));
        await trusted.Hold.Entered;

        using var same = await client.SendAsync(Clients.SeedRequest(forwardedFor: "203.0.113.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, same.StatusCode);
        using var other = await client.SendAsync(Clients.SeedRequest(forwardedFor: "203.0.113.8"));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        // The proxy appends the address it saw: what the client wrote before it does not choose the partition.
        using var spoofed = await client.SendAsync(Clients.SeedRequest(forwardedFor: "198.51.100.1, 203.0.113.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, spoofed.StatusCode);

        await Clients.FinishAsync(trusted.Hold, held);
    }

    [Fact]
    public async Task FromAnUntrustedAddressTheHeaderIsIgnored()
    {
        using var client = new HttpClient { BaseAddress = untrusted.Address };
        var held = client.SendAsync(Clients.Hold(forwardedFor: "203.0.113.7"));
        await untrusted.Hold.Entered;

        using var same = await client.SendAsync(Clients.SeedRequest(forwardedFor: "203.0.113.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, same.StatusCode);
        // Another forwarded address would be another client if the header were believed; it is not: refused too.
        using var other = await client.SendAsync(Clients.SeedRequest(forwardedFor: "203.0.113.8"));
        Assert.Equal(HttpStatusCode.TooManyRequests, other.StatusCode);

        await Clients.FinishAsync(untrusted.Hold, held);
    }

    /// <summary>127.0.0.1 (the tests' own socket) configured as the proxy.</summary>
    public sealed class TrustedProxyApiFactory : OneAtATimeApiFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
        };
    }

    /// <summary>No proxy configured: not even loopback, which the framework alone would trust.</summary>
    public sealed class NoProxyApiFactory : OneAtATimeApiFactory;

    /// <summary>On Kestrel, one request in flight per client and none queued.</summary>
    public class OneAtATimeApiFactory : KestrelApiFactory
    {
        public HoldRoute Hold { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(Hold));
        }

        protected override IReadOnlyDictionary<string, string> Limits => new Dictionary<string, string>
        {
            ["ClientConcurrentRequests"] = "1",
            ["ClientQueueLength"] = "0",
        };
    }
}
