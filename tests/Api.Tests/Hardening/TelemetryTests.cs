using System.Net;
using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Hardening;

[Collection(ApiCollection.Name)]
public class TelemetryTests(ApiFactory factory)
{
    [Fact]
    public async Task MetricsShowRequestDurationsAndComputeTimePerOperation()
    {
        var client = factory.CreateClient();
        using (var conv = await client.PostAsync(Routes.ConvForward, Requests.Body($$"""{"input": {{Requests.SeedImage}}, "kernel": {{Requests.SeedKernel}} }""")))
            Assert.Equal(HttpStatusCode.OK, conv.StatusCode);

        const string computed = "convservice_compute_duration_seconds_count\\{[^}]*operation=\"conv.forward\"[^}]*\\} [1-9]";
        var metrics = await MetricsScrape.UntilMatchesAsync(client, "http_route=\"/conv/forward\"", computed);

        Assert.Contains("http_server_request_duration_seconds_count{", metrics);
        Assert.Contains("http_route=\"/conv/forward\"", metrics);
        Assert.Matches(computed, metrics);
        // Per-request series no one reads are not collected (Telemetry.AspNetCoreMeters).
        Assert.DoesNotContain("aspnetcore_routing_match_attempts", metrics);
        Assert.DoesNotContain("aspnetcore_rate_limiting_", metrics);
    }

    [Theory]
    [InlineData(Routes.HealthLive)]
    [InlineData(Routes.HealthReady)]
    public async Task HealthProbesAnswerHealthy(string path)
    {
        using var response = await factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
