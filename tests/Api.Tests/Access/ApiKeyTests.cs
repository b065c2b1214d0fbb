using System.Net;
using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace ConvService.Api.Tests.Access;

/// <summary>
/// With <c>Auth:ApiKeys</c> configured, computations need a valid X-Api-Key (401 problem+json, {"error"} on /v2),
/// what computes nothing stays open, and no key reaches the logs, even at the most verbose level.
/// </summary>
public class ApiKeyTests(ApiKeyTests.KeyedApiFactory factory) : IClassFixture<ApiKeyTests.KeyedApiFactory>
{
    private const string WrongKey = "wrong-5c1e88d0a7";

    [Fact]
    public async Task WithoutAKeyAComputationIsUnauthorized()
    {
        using var response = await factory.CreateClient().SendAsync(Clients.SeedRequest());

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized);
        Assert.Contains("X-Api-Key", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task WithAWrongKeyAComputationIsUnauthorized()
    {
        using var response = await factory.CreateClient().SendAsync(Clients.SeedRequest(key: WrongKey));

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized);
        Assert.Contains("not one of this service's keys", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task WithAKeyTheComputationIsAnswered()
    {
        using var response = await factory.CreateClient().SendAsync(Clients.SeedRequest(key: KeyedApiFactory.Key));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("{\"output\":[[109,92,72]", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(Routes.Shape, """{"input": [1, 3, 8, 8], "layers": [{"op": "conv", "outChannels": 4, "kernelSize": 3}]}""")]
    [InlineData(Routes.Check, """{"operation": "/conv/forward", "request": {"input": [[1]], "kernel": [[1]]}, "answer": {"output": [[1]]}}""")]
    [InlineData("/conv/explain", """{"input": [[1]], "kernel": [[1]], "cell": [0, 0]}""")]
    [InlineData("/pool/max/explain", """{"input": [[1, 2], [3, 4]], "kernelSize": 2, "cell": [0, 0]}""")]
    public async Task LearnModesComputationsNeedTheKeyToo(string path, string body)
    {
        var client = factory.CreateClient();
        using var refused = await client.PostAsync(path, Requests.Body(body));
        await ProblemAssert.IsProblem(refused, HttpStatusCode.Unauthorized);

        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Requests.Body(body) };
        request.Headers.Add("X-Api-Key", KeyedApiFactory.Key);
        using var answered = await client.SendAsync(request);
        Assert.True(answered.StatusCode == HttpStatusCode.OK, $"{path} with the key answered {(int)answered.StatusCode}: {await answered.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task TheInferenceProtocolAnswersItsOwnErrorWithoutAKey()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v2/models/conv2d/infer")
        {
            Content = InferenceWire.Json([new("input", "FP64", [5, 5], new double[25]), new("weight", "FP64", [3, 3], new double[9])]),
        };
        using var response = await factory.CreateClient().SendAsync(request);

        await InferenceErrorAssert.Is(response, HttpStatusCode.Unauthorized, "X-Api-Key");
    }

    [Theory]
    [InlineData(Routes.HealthLive)]
    [InlineData(Routes.HealthReady)]
    [InlineData("/metrics")]
    [InlineData("/swagger/index.html")]
    [InlineData("/swagger/v1/swagger.json")]
    [InlineData("/v2")]
    [InlineData("/v2/health/ready")]
    [InlineData("/v2/models/conv2d")]
    [InlineData(Routes.Playground)]
    [InlineData("/playground/playground.js")]
    public async Task WhatComputesNothingStaysOpen(string path)
    {
        using var response = await factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TheOpenApiDocumentAsksForTheKeyWhereItIsNeeded()
    {
        using var document = System.Text.Json.JsonDocument.Parse(await factory.CreateClient().GetStringAsync("/swagger/v1/swagger.json"));
        var root = document.RootElement;

        var scheme = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        var paths = root.GetProperty("paths");
        Assert.True(paths.GetProperty(Routes.ConvForward).GetProperty("post").TryGetProperty("security", out _), "/conv/forward does not ask for the key");
        Assert.False(paths.GetProperty("/v2/models/{model}").GetProperty("get").TryGetProperty("security", out _), "model metadata is open but asks for the key");
    }

    [Fact]
    public async Task NoKeyIsLoggedSentRightOrWrong()
    {
        var client = factory.CreateClient();
        (await client.SendAsync(Clients.SeedRequest(key: KeyedApiFactory.Key))).Dispose();
        (await client.SendAsync(Clients.SeedRequest(key: WrongKey))).Dispose();
        (await client.SendAsync(Clients.SeedRequest())).Dispose();

        // The sink is fed from a background queue: wait for the requests' own events before reading.
        await factory.Captured.WaitForAsync(e => e.MessageTemplate.Text.StartsWith("HTTP ", StringComparison.Ordinal), count: 3);
        var logged = factory.Captured.All.Select(e => e.RenderMessage() + " " + string.Join(" ", e.Properties.Select(p => $"{p.Key}={p.Value}")) + " " + e.Exception).ToArray();
        Assert.True(logged.Length > 10, $"only {logged.Length} events: the verbose log was not captured, so the check would prove nothing");
        Assert.DoesNotContain(logged, line => line.Contains(KeyedApiFactory.Key, StringComparison.Ordinal));
        Assert.DoesNotContain(logged, line => line.Contains(WrongKey, StringComparison.Ordinal));
    }

    /// <summary>Two keys configured; every event down to Verbose, the framework's included, kept by a sink.</summary>
    public sealed class KeyedApiFactory : WebApplicationFactory<Program>
    {
        public const string Key = "k3y-9f2d71c4e6b8";

        public CapturedEvents Captured { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder) =>
            builder.UseEnvironment("Testing")
                .UseSetting("Serilog:MinimumLevel:Default", "Verbose")
                .UseSetting("Serilog:MinimumLevel:Override:Microsoft.AspNetCore", "Verbose")
                .UseSetting("Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime", "Verbose")
                .UseSetting("Auth:ApiKeys:0", Key)
                .UseSetting("Auth:ApiKeys:1", "another-key-0a4b")
                .ConfigureServices(services => services.AddSingleton<ILogEventSink>(Captured));
    }
}

/// <summary>Without keys configured, everything is open, as before keys existed.</summary>
[Collection(ApiCollection.Name)]
public class NoApiKeyTests(ApiFactory factory)
{
    [Fact]
    public async Task WithoutConfiguredKeysAComputationNeedsNone()
    {
        using var response = await factory.CreateClient().SendAsync(Clients.SeedRequest());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
