using System.Text.Json.Nodes;
using ConvService.Domain.Pooling;

namespace ConvService.Api.OpenApi;

/// <summary>A request example per pooling mode; max pools the seed's answer C as the seed does.</summary>
public static class PoolExamples
{
    public static JsonObject Forward(PoolMode mode) => mode switch
    {
        PoolMode.Max => new() { ["input"] = Examples.SeedOutput(), ["kernelSize"] = 2, ["stride"] = 1 },
        PoolMode.Avg => new() { ["input"] = Examples.SeedImage(), ["kernelSize"] = 3, ["stride"] = 2, ["padding"] = 1, ["countIncludePad"] = false },
        PoolMode.Lp => new() { ["input"] = Examples.SeedImage(), ["kernelSize"] = 2, ["normType"] = 2, ["ceilMode"] = true },
        PoolMode.FractionalMax => new() { ["input"] = Examples.SeedImage(), ["kernelSize"] = 2, ["outputSize"] = 3, ["seed"] = 7, ["returnIndices"] = true },
        PoolMode.AdaptiveMax => new() { ["input"] = Examples.SeedImage(), ["outputSize"] = new JsonArray(2, null), ["returnIndices"] = true },
        _ => new() { ["input"] = Examples.SeedImage(), ["outputSize"] = 2 },
    };
}
