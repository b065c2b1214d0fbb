using System.Diagnostics;
using System.Net;
using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ConvService.Api.Tests.Admission;

/// <summary>
/// One compute slot, no queue, and <see cref="BigRequest"/> computing in it: a computation beside it is turned
/// away (429 with Retry-After) and readiness says so, while nothing that computes nothing waits (liveness, metrics, Swagger, /).
/// </summary>
[Collection(TimingCollection.Name)]
public class BusySlotTests(BusyApiFactory factory) : IClassFixture<BusyApiFactory>
{
    private static readonly string Seed = $$"""{"input": {{Requests.SeedImage}}, "kernel": {{Requests.SeedKernel}} }""";

    [Fact]
    public async Task WhileTheOnlySlotComputesEverythingThatComputesNothingAnswersAtOnce()
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using (var swagger = await client.GetAsync("/swagger/v1/swagger.json"))
            Assert.Equal(HttpStatusCode.OK, swagger.StatusCode); // generated once, before the CPU is busy
        await using var busy = await TakeSlotAsync(client);

        foreach (var (path, status) in new[]
                 {
                     (Routes.HealthLive, HttpStatusCode.OK), ("/metrics", HttpStatusCode.OK), ("/swagger/index.html", HttpStatusCode.OK),
                     ("/swagger/v1/swagger.json", HttpStatusCode.OK), ("/", HttpStatusCode.Redirect),
                 })
        {
            var clock = Stopwatch.StartNew();
            using var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == status, $"GET {path} answered {(int)response.StatusCode} while the slot was busy");
            // Generous: the computation beside it has both cores; waiting for the slot would take the whole computation.
            Assert.True(clock.ElapsedMilliseconds < 5000, $"GET {path} took {clock.ElapsedMilliseconds} ms while the slot was busy");
        }
        Assert.False(busy.Completed, "the big request finished before the checks were done: they proved nothing");
    }

    [Fact]
    public async Task ReadinessIsUnavailableWhileTheQueueIsFullAndLivenessStaysUp()
    {
        var client = factory.CreateClient();
        await using (var busy = await TakeSlotAsync(client))
        {
            using var ready = await client.GetAsync(Routes.HealthReady);
            using var health = await client.GetAsync(Routes.Health);
            using var live = await client.GetAsync(Routes.HealthLive);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.False(busy.Completed, "the big request finished before the checks were done: they proved nothing");
        }

        // Cancelled, the big request gives its slot back: ready again.
        using var after = await Eventually(() => client.GetAsync(Routes.HealthReady), r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    private static async Task<HttpResponseMessage> Eventually(Func<Task<HttpResponseMessage>> send, Func<HttpResponseMessage, bool> done)
    {
        for (var i = 0; ; i++)
        {
            var response = await send();
            if (done(response) || i == 600)
                return response;
            response.Dispose();
            await Task.Delay(50);
        }
    }

    /// <summary>Takes the slot with <see cref="BigRequest"/>, and checks how the seed request beside it was turned away.</summary>
    private static async Task<HeldSlot> TakeSlotAsync(HttpClient client)
    {
        var (slot, refusal) = await HeldSlot.TakeAsync(
            cancel => client.PostAsync(Routes.ConvBackward, Requests.Body(BigRequest.Json), cancel),
            () => client.PostAsync(Routes.ConvForward, Requests.Body(Seed)));
        using (refusal)
        {
            Assert.Equal("2", refusal.Headers.GetValues("Retry-After").Single());
            await ProblemAssert.IsProblem(refusal, HttpStatusCode.TooManyRequests);
        }
        return slot;
    }
}
