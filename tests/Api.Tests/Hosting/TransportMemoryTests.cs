using System.Net;
using ConvService.Api.Hosting;
using ConvService.Api.Tests.Support;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace ConvService.Api.Tests.Hosting;

/// <summary>The app's own wiring: Kestrel's memory comes from <see cref="TransportMemory"/>.</summary>
[Collection(ApiCollection.Name)]
public class TransportMemoryWiringTests(ApiFactory factory)
{
    [Fact]
    public void TheAppGivesKestrelPoolsOf64KiBBlocks()
    {
        using var pool = factory.Services.GetRequiredService<IMemoryPoolFactory<byte>>().Create(new MemoryPoolOptions());
        using var block = pool.Rent(4096);
        Assert.Equal(64 * 1024, pool.MaxBufferSize);
        Assert.Equal(64 * 1024, block.Memory.Length);
    }
}

/// <summary>The blocks Kestrel receives into and sends from (<see cref="TransportMemory"/>), alone and under a real socket.</summary>
public class TransportMemoryTests(KestrelApiFactory factory) : IClassFixture<KestrelApiFactory>
{
    [Fact]
    public void TheSocketHostUsesTheAppsBlocks()
    {
        using var pool = factory.Services.GetRequiredService<IMemoryPoolFactory<byte>>().Create(new MemoryPoolOptions());
        Assert.Equal(TransportMemory.BlockSize, pool.MaxBufferSize);
    }

    [Fact]
    public void AReturnedBlockIsLentAgainAndNeverToTwoRenters()
    {
        using var pool = new BlockPool(1024, retained: 4);
        var first = pool.Rent();
        var memory = first.Memory;
        first.Dispose();
        first.Dispose(); // a second return must not put the block in the pool twice
        using var again = pool.Rent();
        using var other = pool.Rent();
        Assert.True(again.Memory.Span == memory.Span, "the returned block is lent again");
        Assert.False(other.Memory.Span == memory.Span, "one block went to two renters");
    }

    [Fact]
    public void APoolKeepsNoMoreReturnedBlocksThanItRetains()
    {
        using var pool = new BlockPool(256, retained: 3);
        var lent = Enumerable.Range(0, 8).Select(_ => pool.Rent()).ToList();
        var arrays = lent.Select(b => b.Memory).ToList();
        lent.ForEach(b => b.Dispose());
        var again = Enumerable.Range(0, 8).Select(_ => pool.Rent()).ToList();
        var reused = again.Count(b => arrays.Any(m => m.Span == b.Memory.Span));
        Assert.Equal(3, reused);
    }

    [Fact]
    public void ABlockLargerThanThePoolsIsRefused()
    {
        using var pool = new BlockPool(1024, retained: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(1025));
    }

    /// <summary>
    /// An FP32 tensor of many 64 KiB blocks through a real socket: its header and values straddle blocks on the way in,
    /// the answer on the way out. The answers are sent a MiB at a time, so 1 MiB (n = 4) ends on a send and 1.5 MiB
    /// (n = 6) leaves half a MiB for the response's end: a build that left that tail unsent held the client
    /// waiting on its last bytes for good. The values are small integers, so every 2×2 mean is exact and compared bit
    /// for bit with the mean worked out here.
    /// </summary>
    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public async Task ATensorOfManyBlocksCrossesTheSocketIntact(int n)
    {
        const int c = 16, h = 128, w = 128;
        var values = new double[n * c * h * w];
        for (var i = 0; i < values.Length; i++)
            values[i] = (i * 7919L % 1000) - 500;
        using var client = new HttpClient { BaseAddress = factory.Address, Timeout = TimeSpan.FromSeconds(30) };

        using var response = await client.PostAsync("/v2/models/avg_pool2d/infer",
            InferenceWire.Binary([new("input", "FP32", [n, c, h, w], values)], [new("kernel_size", 2)]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var output = (await InferenceWire.ReadAsync(response)).Outputs["output"];
        Assert.Equal([n, c, h / 2, w / 2], output.Shape);
        var mismatches = 0;
        for (var plane = 0; plane < n * c; plane++)
            for (var y = 0; y < h / 2; y++)
                for (var x = 0; x < w / 2; x++)
                {
                    int At(int dy, int dx) => (plane * h + 2 * y + dy) * w + 2 * x + dx;
                    var mean = (values[At(0, 0)] + values[At(0, 1)] + values[At(1, 0)] + values[At(1, 1)]) / 4;
                    if (output.Data[(plane * (h / 2) + y) * (w / 2) + x] != mean)
                        mismatches++;
                }
        Assert.Equal(0, mismatches);
    }
}
