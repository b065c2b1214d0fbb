using System.Text.Json.Nodes;
using ConvService.Domain.Pooling;

namespace ConvService.Api.OpenApi;

/// <summary>
/// Request examples per pooling mode: the 2-D one first (max pools the seed's answer C, as the seed does), then a 1-D
/// signal and a 3-D volume (fractional-max has no 1-D form).
/// </summary>
public static class PoolExamples
{
    public static IEnumerable<RequestExample> Forward(PoolMode mode) => mode switch
    {
        PoolMode.Max =>
        [
            new("seed", "The seed: max-pool its answer C with a 2×2 window, stride 1 → [[109,92],[110,85]]", new() { ["input"] = Examples.SeedOutput(), ["kernelSize"] = 2, ["stride"] = 1 }),
            new("1-D", "1-D: one line of 8, kernel 3, stride 2, padding 1, with indices", new() { ["spatialDims"] = 1, ["input"] = Signal(), ["kernelSize"] = 3, ["stride"] = 2, ["padding"] = 1, ["returnIndices"] = true }),
            new("3-D", "3-D: a 3×3×3 volume, kernel 2 on every axis, stride 1, with indices (flat in D·H·W)", new() { ["spatialDims"] = 3, ["input"] = Volume(), ["kernelSize"] = 2, ["stride"] = 1, ["returnIndices"] = true }),
        ],
        PoolMode.Avg =>
        [
            new("2-D", "2-D: the seed image, kernel 3, stride 2, padding 1 not counted in the divisor", new() { ["input"] = Examples.SeedImage(), ["kernelSize"] = 3, ["stride"] = 2, ["padding"] = 1, ["countIncludePad"] = false }),
            new("1-D", "1-D: 2 channels of 8, kernel 4, stride 2, ceil mode", new() { ["spatialDims"] = 1, ["input"] = Channels(), ["kernelSize"] = 4, ["stride"] = 2, ["ceilMode"] = true }),
            new("3-D", "3-D: a 3×3×3 volume, kernel [2, 3, 3], padding [1, 1, 1], divisorOverride 9", new() { ["spatialDims"] = 3, ["input"] = Volume(), ["kernelSize"] = new JsonArray(2, 3, 3), ["padding"] = 1, ["divisorOverride"] = 9 }),
        ],
        PoolMode.Lp =>
        [
            new("2-D", "2-D: the seed image, p = 2, kernel 2, ceil mode (the cut windows rescaled by K / cells inside)", new() { ["input"] = Examples.SeedImage(), ["kernelSize"] = 2, ["normType"] = 2, ["ceilMode"] = true }),
            new("1-D", "1-D: one line of 8, p = 3, kernel 3, stride 1", new() { ["spatialDims"] = 1, ["input"] = Signal(), ["kernelSize"] = 3, ["stride"] = 1, ["normType"] = 3 }),
            new("3-D", "3-D: a 3×3×3 volume, p = 2, kernel 2, stride 1", new() { ["spatialDims"] = 3, ["input"] = Volume(), ["kernelSize"] = 2, ["stride"] = 1, ["normType"] = 2 }),
        ],
        PoolMode.FractionalMax =>
        [
            new("2-D", "2-D: the seed image to 3×3 with 2×2 windows placed by seed 7; the answer returns the samples", new() { ["input"] = Examples.SeedImage(), ["kernelSize"] = 2, ["outputSize"] = 3, ["seed"] = 7, ["returnIndices"] = true }),
            new("3-D", "3-D: a 4×4×4 volume to 2×2×2 with 2×2×2 windows (O + K − 1 < I), samples given as (1, 3): depth, height, width", new()
            {
                ["spatialDims"] = 3, ["input"] = Volume4(), ["kernelSize"] = 2, ["outputSize"] = 2, ["randomSamples"] = new JsonArray(new JsonArray(0.25, 0.5, 0.75)), ["returnIndices"] = true,
            }),
        ],
        PoolMode.AdaptiveMax =>
        [
            new("2-D", "2-D: the seed image to 2 rows, columns kept (null), with indices", new() { ["input"] = Examples.SeedImage(), ["outputSize"] = new JsonArray(2, null), ["returnIndices"] = true }),
            new("1-D", "1-D: 2 channels of 8 to 3 each: windows [0, 3), [2, 6), [5, 8)", new() { ["spatialDims"] = 1, ["input"] = Channels(), ["outputSize"] = 3, ["returnIndices"] = true }),
            new("3-D", "3-D: a 3×3×3 volume to 1×2 with the width kept", new() { ["spatialDims"] = 3, ["input"] = Volume(), ["outputSize"] = new JsonArray(1, 2, null) }),
        ],
        _ =>
        [
            new("2-D", "2-D: the seed image to 2×2", new() { ["input"] = Examples.SeedImage(), ["outputSize"] = 2 }),
            new("1-D", "1-D: one line of 8 to 3", new() { ["spatialDims"] = 1, ["input"] = Signal(), ["outputSize"] = 3 }),
            new("3-D", "3-D: a 3×3×3 volume to 1×1×1 (global average)", new() { ["spatialDims"] = 3, ["input"] = Volume(), ["outputSize"] = 1 }),
        ],
    };

    private static JsonArray Signal() => new(1, 3, 2, 0, 5, 4, 2, 1);

    private static JsonArray Channels() => Examples.Matrix([1, 3, 2, 0, 5, 4, 2, 1], [0, 1, 1, 2, 3, 1, 0, 2]);

    private static JsonArray Volume() => Examples.Cube([[1, 2, 0], [0, 1, 3], [2, 2, 1]], [[0, 1, 1], [4, 0, 2], [1, 3, 0]], [[2, 0, 1], [1, 1, 1], [0, 2, 3]]);

    private static JsonArray Volume4() => Examples.Cube([.. Enumerable.Range(0, 4).Select(z => Enumerable.Range(0, 4).Select(y => Enumerable.Range(0, 4).Select(x => (z * 7 + y * 5 + x * 3) % 10).ToArray()).ToArray())]);
}
