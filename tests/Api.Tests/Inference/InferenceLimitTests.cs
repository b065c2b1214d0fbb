using System.Diagnostics;
using System.Net;
using ConvService.Api.Tests.Hardening;
using ConvService.Api.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

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
    // 1×256×128×128 ⊛ 256×256×7×7 in float64, padding 30: about 10¹¹ multiply-adds, a second or more even on the fastest
    // machine here, so that the slot is seen taken before it ends (the factories raise the work limit for it).
    private static ByteArrayContent Big() => InferenceWire.Binary(
        [new("input", "FP64", [1, 256, 128, 128], new double[256 * 128 * 128]), new("weight", "FP64", [256, 256, 7, 7], new double[256 * 256 * 49])],
        [new("padding", 30)]);

    private static ByteArrayContent Seed() => InferenceWire.Binary(
        [new("input", "FP32", [5, 5], new double[25]), new("weight", "FP32", [3, 3], new double[9])]);

    [Fact]
    public async Task ARequestPastTheTimeLimitIsAGatewayTimeoutInTheProtocolsError()
    {
        // An upload that stalls past the 0.5 s limit: the limit counts from the request's arrival, whatever the machine's speed.
        using var seed = Seed();
        var body = await seed.ReadAsByteArrayAsync();
        using var stalled = new StalledContent(body, body.Length / 2, TimeSpan.FromSeconds(5));
        stalled.Headers.Add(InferenceWire.HeaderLength, seed.Headers.GetValues(InferenceWire.HeaderLength));

        // Without the redirect handler, which would read the whole body before sending it.
        using var client = slow.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        (await client.GetAsync("/health/live")).Dispose();
        var clock = Stopwatch.StartNew();
        using var response = await client.PostAsync("/v2/models/conv2d/infer", stalled);

        await InferenceErrorAssert.Is(response, HttpStatusCode.GatewayTimeout, "0.5 s");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"answered after {clock.Elapsed}, not before the upload went on");
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

/// <summary>A body whose second part is sent only after <c>pause</c>, as a client stalled in its upload sends it.</summary>
internal sealed class StalledContent(byte[] body, int sendFirst, TimeSpan pause) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
    {
        await stream.WriteAsync(body.AsMemory(0, sendFirst));
        await stream.FlushAsync();
        await Task.Delay(pause);
        await stream.WriteAsync(body.AsMemory(sendFirst));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = body.Length;
        return true;
    }
}
