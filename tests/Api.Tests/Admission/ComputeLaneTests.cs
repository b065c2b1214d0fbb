using System.Net;
using ConvService.Api.Endpoints;
using ConvService.Api.Hosting;
using ConvService.Api.Plans;
using ConvService.Api.Tests.Support;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Tests.Admission;

/// <summary>
/// The lane a request takes is chosen by its plan's cost: at most <see cref="ServiceLimits.CheapWork"/> work and
/// <see cref="ServiceLimits.CheapElements"/> elements is the cheap lane, which never waits for the expensive slots.
/// </summary>
public class ComputeLaneTests
{
    [Theory]
    [InlineData(100, 10, ComputeLane.Cheap)]        // at the work limit
    [InlineData(101, 10, ComputeLane.Expensive)]    // one multiply-add past it
    [InlineData(1, 50, ComputeLane.Cheap)]          // at the element limit
    [InlineData(1, 51, ComputeLane.Expensive)]      // one element past it
    public void TheLaneFollowsTheCost(long work, long elements, ComputeLane lane)
    {
        using var lanes = Lanes(cheapWork: 100, cheapElements: 50);

        Assert.Equal(lane, lanes.LaneOf(new Cost(work, elements - 1, 1)));
    }

    [Fact]
    public void ARequestWithoutAPlanIsExpensive()
    {
        using var lanes = Lanes(cheapWork: 100, cheapElements: 50);

        Assert.Equal(ComputeLane.Expensive, lanes.LaneOf(null));
    }

    [Fact]
    public void NoCheapWorkTurnsTheCheapLaneOff()
    {
        using var lanes = Lanes(cheapWork: 0, cheapElements: 50);

        Assert.Equal(ComputeLane.Expensive, lanes.LaneOf(new Cost(0, 1, 1)));
    }

    private static ComputeLanes Lanes(long cheapWork, long cheapElements) =>
        new(Options.Create(new ServiceLimits { CheapWork = cheapWork, CheapElements = cheapElements }));
}

/// <summary>
/// One expensive slot, no queue, and <see cref="BigRequest"/> computing in it: a request costing more than the cheap
/// lane's 100 multiply-adds is turned away, while the seed request (81) is answered, on the JSON routes and on /v2.
/// </summary>
[Collection(TimingCollection.Name)]
public class CheapLaneBesideBusySlotTests(CheapLaneBesideBusySlotTests.OneSlotApiFactory factory) : IClassFixture<CheapLaneBesideBusySlotTests.OneSlotApiFactory>
{
    private static readonly string Seed = $$"""{"input": {{Requests.SeedImage}}, "kernel": {{Requests.SeedKernel}} }""";

    // 6×6 ⊛ 3×3: 16 outputs × 9 = 144 multiply-adds, past the factory's cheap lane.
    private static readonly string Small = """{"input": {"shape": [6, 6], "data": [1,2,3,4,5,6,1,2,3,4,5,6,1,2,3,4,5,6,1,2,3,4,5,6,1,2,3,4,5,6,1,2,3,4,5,6]}, "kernel": [[1,1,1],[1,1,1],[1,1,1]] }""";

    [Fact]
    public async Task TheSeedIsAnsweredWhileARequestJustPastTheCheapLaneIsTurnedAway()
    {
        var client = factory.CreateClient();
        var (big, rejected) = await HeldSlot.TakeAsync(
            cancel => client.PostAsync(Routes.ConvBackward, Requests.Body(BigRequest.Json), cancel),
            () => client.PostAsync(Routes.ConvForward, Requests.Body(Small)));
        await using (big)
        using (rejected)
        {
            await ProblemAssert.IsProblem(rejected, HttpStatusCode.TooManyRequests);

            using var seed = await client.PostAsync(Routes.ConvForward, Requests.Body(Seed));
            Assert.Equal(HttpStatusCode.OK, seed.StatusCode);
            Assert.StartsWith("{\"output\":[[109,92,72]", await seed.Content.ReadAsStringAsync());

            using var seedV2 = await client.PostAsync("/v2/models/conv2d/infer", InferenceWire.Json(
                [new("input", "FP64", [5, 5], [4, 5, 2, 2, 1, 3, 3, 2, 2, 4, 4, 3, 4, 1, 1, 5, 1, 4, 1, 2, 5, 1, 3, 1, 4]), new("weight", "FP64", [3, 3], [4, 3, 3, 5, 5, 5, 2, 4, 3])]));
            Assert.Equal(HttpStatusCode.OK, seedV2.StatusCode);

            using var smallV2 = await client.PostAsync("/v2/models/conv2d/infer", InferenceWire.Json(
                [new("input", "FP64", [6, 6], new double[36]), new("weight", "FP64", [3, 3], new double[9])]));
            await InferenceErrorAssert.Is(smallV2, HttpStatusCode.TooManyRequests, "retry after");
            Assert.False(big.Completed, "the big request finished before the checks were done: they proved nothing");
        }
    }

    /// <summary>One expensive slot, no queue, a cheap lane up to 100 multiply-adds, and room for <see cref="BigRequest"/>.</summary>
    public sealed class OneSlotApiFactory : LimitedApiFactory
    {
        protected override IReadOnlyDictionary<string, string> Limits => new Dictionary<string, string>
        {
            ["ConcurrentRequests"] = "1",
            ["QueueLength"] = "0",
            ["CheapWork"] = "100",
            ["RequestTimeout"] = "00:01:00",
            ["MaxWork"] = "1000000000000",
        };
    }
}
