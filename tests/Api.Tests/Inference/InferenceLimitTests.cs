using System.Net;
using ConvService.Api.Tests.Hardening;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Inference;

/// <summary>Kestrel's body limit answers /v2 in the protocol's {"error"}: 413.</summary>
public sealed class InferenceBodyLimitTests(BodySizeTests.KestrelFactory kestrel) : IClassFixture<BodySizeTests.KestrelFactory>
{
    [Fact]
    public async Task ABodyOverTheLimitIsTooLargeInTheProtocolsError()
    {
        using var response = await kestrel.CreateClient().PostAsync("/v2/models/conv2d/infer", InferenceWire.Binary(
            [new("input", "FP64", [30, 30], new double[900]), new("weight", "FP64", [1, 1], [1.0])]));

        await InferenceErrorAssert.Is(response, HttpStatusCode.RequestEntityTooLarge, "limit of 4000 bytes");
    }
}

/// <summary>The shared admission and time limit answer /v2 in the protocol's {"error"}: 429 beside a busy slot, 504 past the time limit.</summary>
[Collection(TimingCollection.Name)]
public sealed class InferenceBusyTests(SlowApiFactory slow, BusyApiFactory busy) : IClassFixture<SlowApiFactory>, IClassFixture<BusyApiFactory>
{
    // 1×256×128×128 ⊛ 256×256×7×7, padding 3: seconds of work (the factories raise the work limit for it).
    private static ByteArrayContent Big() => InferenceWire.Binary(
        [new("input", "FP32", [1, 256, 128, 128], new double[256 * 128 * 128]), new("weight", "FP32", [256, 256, 7, 7], new double[256 * 256 * 49])],
        [new("padding", 3)]);

    private static ByteArrayContent Seed() => InferenceWire.Binary(
        [new("input", "FP32", [5, 5], new double[25]), new("weight", "FP32", [3, 3], new double[9])]);

    [Fact]
    public async Task ARequestPastTheTimeLimitIsAGatewayTimeoutInTheProtocolsError()
    {
        using var response = await slow.CreateClient().PostAsync("/v2/models/conv2d/infer", Big());

        await InferenceErrorAssert.Is(response, HttpStatusCode.GatewayTimeout, "0.5 s");
    }

    [Fact]
    public async Task ARequestBesideABusySlotIsTooManyRequestsInTheProtocolsError()
    {
        var client = busy.CreateClient();
        var (slot, rejected) = await HeldSlot.TakeAsync(
            cancel => client.PostAsync("/v2/models/conv2d/infer", Big(), cancel),
            () => client.PostAsync("/v2/models/conv2d/infer", Seed()));
        await using (slot)
        using (rejected)
        {
            await InferenceErrorAssert.Is(rejected, HttpStatusCode.TooManyRequests, "retry after 2 s");
            Assert.Equal("2", rejected.Headers.GetValues("Retry-After").Single());
            Assert.False(slot.Completed, "the big request finished before the checks were done: they proved nothing");
        }
    }
}
