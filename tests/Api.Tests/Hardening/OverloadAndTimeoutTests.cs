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
        // Both gradients with padding 30: about 2·10¹¹ multiply-adds, several seconds at this machine's peak and far more
        // on the shared machine under load, so that stopping at the limit and running to the end are seconds apart.
        using var body = Requests.Body(BigRequest.Json.Replace("\"padding\": 3 ", "\"padding\": 30 ", StringComparison.Ordinal));
        var client = factory.CreateClient();
        var clock = Stopwatch.StartNew();
        using var response = await client.PostAsync(Routes.ConvBackward, body);

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.GatewayTimeout);
        Assert.Contains("0.5 s", problem.GetProperty("detail").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"took {clock.Elapsed}: the computation did not stop");
    }
}
