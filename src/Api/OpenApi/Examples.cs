using System.Text.Json.Nodes;

namespace ConvService.Api.OpenApi;

/// <summary>The request examples Swagger UI prefills: the seed homework first.</summary>
public static class Examples
{
    /// <summary>The seed's 5×5 image A.</summary>
    public static JsonArray SeedImage() => Matrix([4, 5, 2, 2, 1], [3, 3, 2, 2, 4], [4, 3, 4, 1, 1], [5, 1, 4, 1, 2], [5, 1, 3, 1, 4]);

    /// <summary>The seed's 3×3 kernel B.</summary>
    public static JsonArray SeedKernel() => Matrix([4, 3, 3], [5, 5, 5], [2, 4, 3]);

    /// <summary>The seed's answer C = A ⊛ B.</summary>
    public static JsonArray SeedOutput() => Matrix([109, 92, 72], [108, 85, 74], [110, 74, 79]);

    public static JsonObject ConvForward() => new() { ["input"] = SeedImage(), ["kernel"] = SeedKernel() };

    /// <summary>The seed's backward pass: gradOutput all ones, the gradient of the sum of C.</summary>
    public static JsonObject ConvBackward() => new() { ["input"] = SeedImage(), ["kernel"] = SeedKernel(), ["gradOutput"] = Matrix([1, 1, 1], [1, 1, 1], [1, 1, 1]) };

    private static JsonArray Matrix(params int[][] rows) => [.. rows.Select(row => (JsonNode)new JsonArray([.. row.Select(v => (JsonNode)v)]))];
}
