using System.Diagnostics;
using System.Net;
using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Hardening;

/// <summary>With a 500 ms limit, a big request is stopped and answered 504 (what happens beside a busy slot: Admission/BusySlotTests).</summary>
[Collection(TimingCollection.Name)]
public class OverloadAndTimeoutTests(SlowApiFactory factory) : IClassFixture<SlowApiFactory>
{
    [Fact]
    public async Task ARequestPastTheTimeLimitIsStoppedWithAGatewayTimeoutProblem()
    {
        var clock = Stopwatch.StartNew();
        using var response = await factory.CreateClient().PostAsync(Routes.ConvForward, Requests.Body(BigRequest.Json));

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.GatewayTimeout);
        Assert.Contains("0.5 s", problem.GetProperty("detail").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}: the computation did not stop");
    }
}
