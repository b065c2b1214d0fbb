using System.Net;
using ConvService.Api.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ConvService.Api.Tests.Access;

/// <summary>
/// The per-client limiter, keyed by API key: with one request allowed per client and no queue, a client whose request
/// is in flight is turned away (429, Retry-After, problem+json or {"error"} on /v2) while another client goes through.
/// </summary>
public class ClientLimitTests(ClientLimitTests.TwoKeyApiFactory factory) : IClassFixture<ClientLimitTests.TwoKeyApiFactory>
{
    [Fact]
    public async Task TheFloodingClientIsTurnedAwayWhileAnotherProceeds()
    {
        var client = factory.CreateClient();
        var held = client.SendAsync(Clients.Hold(key: TwoKeyApiFactory.Alice));
        await factory.Hold.Entered;

        using var refused = await client.SendAsync(Clients.SeedRequest(key: TwoKeyApiFactory.Alice));
        var problem = await ProblemAssert.IsProblem(refused, HttpStatusCode.TooManyRequests);
        Assert.Contains("retry after 3 s", problem.GetProperty("detail").GetString());
        Assert.Equal("3", refused.Headers.GetValues("Retry-After").Single());

        using var refusedV2 = await client.SendAsync(V2Seed(TwoKeyApiFactory.Alice));
        await InferenceErrorAssert.Is(refusedV2, HttpStatusCode.TooManyRequests, "retry after 3 s");

        using var other = await client.SendAsync(Clients.SeedRequest(key: TwoKeyApiFactory.Bob));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        using var otherV2 = await client.SendAsync(V2Seed(TwoKeyApiFactory.Bob));
        Assert.Equal(HttpStatusCode.OK, otherV2.StatusCode);

        // Health never counts against a client.
        using var health = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        await Clients.FinishAsync(factory.Hold, held);
        using var again = await client.SendAsync(Clients.SeedRequest(key: TwoKeyApiFactory.Alice));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    private static HttpRequestMessage V2Seed(string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v2/models/conv2d/infer")
        {
            Content = InferenceWire.Json([new("input", "FP64", [5, 5], new double[25]), new("weight", "FP64", [3, 3], new double[9])]),
        };
        request.Headers.Add("X-Api-Key", key);
        return request;
    }

    /// <summary>Two API keys; one request in flight per client, none queued; Retry-After 3 s.</summary>
    public sealed class TwoKeyApiFactory : WebApplicationFactory<Program>
    {
        public const string Alice = "alice-3b9f6e0c";
        public const string Bob = "bob-71d2a4f8";

        public HoldRoute Hold { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder) =>
            builder.UseEnvironment("Testing").UseSetting("Serilog:MinimumLevel:Default", "Warning")
                .UseSetting("Auth:ApiKeys:alice", Alice)
                .UseSetting("Auth:ApiKeys:bob", Bob)
                .UseSetting("Limits:ClientConcurrentRequests", "1")
                .UseSetting("Limits:ClientQueueLength", "0")
                .UseSetting("Limits:RetryAfterSeconds", "3")
                .ConfigureServices(services => services.AddSingleton<IStartupFilter>(Hold));
    }
}
