using System.Diagnostics;
using System.Net;
using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Hardening;

/// <summary>With one compute slot, no queue and a 500 ms limit: a big request gets 504, a request beside it 429, health stays up.</summary>
public class OverloadAndTimeoutTests(SlowApiFactory factory) : IClassFixture<SlowApiFactory>
{
    // 1×256×128×128 input ⊛ 256×256×7×7 kernel, padding 3: about 5·10¹⁰ multiply-adds (the factory raises the
    // compute limit for it), seconds of work even for the SIMD kernels, far beyond 500 ms.
    private static readonly string BigRequest =
        $$"""{"input": {"shape": [1, 256, 128, 128], "data": [{{string.Join(",", Enumerable.Repeat("1", 256 * 128 * 128))}}]}, "kernel": {"shape": [256, 256, 7, 7], "data": [{{string.Join(",", Enumerable.Repeat("1", 256 * 256 * 49))}}]}, "padding": 3 }""";

    [Fact]
    public async Task ARequestPastTheTimeLimitIsStoppedWithAGatewayTimeoutProblem()
    {
        var clock = Stopwatch.StartNew();
        using var response = await factory.CreateClient().PostAsync(Routes.ConvForward, Requests.Body(BigRequest));

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.GatewayTimeout);
        Assert.Contains("0.5 s", problem.GetProperty("detail").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}: the computation did not stop");
    }

    [Fact]
    public async Task ARequestBesideABusySlotIsTurnedAwayWithRetryAfterWhileHealthAnswers()
    {
        var client = factory.CreateClient();
        var busy = client.PostAsync(Routes.ConvForward, Requests.Body(BigRequest));

        // The small request may arrive before the big one has taken the slot: try again until the slot is taken.
        HttpResponseMessage? rejected = null;
        do
        {
            rejected?.Dispose();
            await Task.Delay(20);
            rejected = await client.PostAsync(Routes.ConvForward, Requests.Body($$"""{"input": {{Requests.SeedImage}}, "kernel": {{Requests.SeedKernel}} }"""));
        }
        while (rejected.StatusCode == HttpStatusCode.OK && !busy.IsCompleted);
        using var live = await client.GetAsync(Routes.HealthLive);
        using var ready = await client.GetAsync(Routes.HealthReady);

        await ProblemAssert.IsProblem(rejected, HttpStatusCode.TooManyRequests);
        Assert.Equal("2", rejected.Headers.GetValues("Retry-After").Single());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        rejected.Dispose();
        (await busy).Dispose();
    }
}
