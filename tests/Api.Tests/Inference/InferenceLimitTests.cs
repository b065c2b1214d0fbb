using System.Net;
using ConvService.Api.Tests.Hardening;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Inference;

/// <summary>The shared limits answer /v2 in the protocol's {"error"}: 413 from Kestrel's body limit, 429 when busy, 504 past the time limit.</summary>
public sealed class InferenceLimitTests(SlowApiFactory slow, BodySizeTests.KestrelFactory kestrel) : IClassFixture<SlowApiFactory>, IClassFixture<BodySizeTests.KestrelFactory>
{
    // 1×256×128×128 ⊛ 256×256×7×7, padding 3: seconds of work, far beyond the 500 ms limit of SlowApiFactory.
    private static ByteArrayContent Big() => InferenceWire.Binary(
        [new("input", "FP32", [1, 256, 128, 128], new double[256 * 128 * 128]), new("weight", "FP32", [256, 256, 7, 7], new double[256 * 256 * 49])],
        [new("padding", 3)]);

    private static ByteArrayContent Seed() => InferenceWire.Binary(
        [new("input", "FP32", [5, 5], new double[25]), new("weight", "FP32", [3, 3], new double[9])]);

    [Fact]
    public async Task ABodyOverTheLimitIsTooLargeInTheProtocolsError()
    {
        using var response = await kestrel.CreateClient().PostAsync("/v2/models/conv2d/infer", InferenceWire.Binary(
            [new("input", "FP64", [30, 30], new double[900]), new("weight", "FP64", [1, 1], [1.0])]));

        await InferenceErrorAssert.Is(response, HttpStatusCode.RequestEntityTooLarge, "limit of 4000 bytes");
    }

    [Fact]
    public async Task ARequestPastTheTimeLimitIsAGatewayTimeoutInTheProtocolsError()
    {
        using var response = await slow.CreateClient().PostAsync("/v2/models/conv2d/infer", Big());

        await InferenceErrorAssert.Is(response, HttpStatusCode.GatewayTimeout, "0.5 s");
    }

    [Fact]
    public async Task ARequestBesideABusySlotIsTooManyRequestsInTheProtocolsError()
    {
        var client = slow.CreateClient();
        for (var attempt = 0; ; attempt++)
        {
            // A small request may take the slot first and turn the big one away (no queue): then try again.
            var busy = client.PostAsync("/v2/models/conv2d/infer", Big());
            HttpResponseMessage? rejected = null;
            do
            {
                rejected?.Dispose();
                await Task.Delay(20);
                rejected = await client.PostAsync("/v2/models/conv2d/infer", Seed());
            }
            while (rejected.StatusCode == HttpStatusCode.OK && !busy.IsCompleted);
            using var big = await busy;
            if (rejected.StatusCode == HttpStatusCode.OK && big.StatusCode == HttpStatusCode.TooManyRequests && attempt < 5)
            {
                rejected.Dispose();
                continue;
            }

            await InferenceErrorAssert.Is(rejected, HttpStatusCode.TooManyRequests, "retry after 2 s");
            Assert.Equal("2", rejected.Headers.GetValues("Retry-After").Single());
            rejected.Dispose();
            return;
        }
    }
}
