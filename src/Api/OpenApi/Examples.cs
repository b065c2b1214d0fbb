using System.Text.Json.Nodes;

namespace ConvService.Api.OpenApi;

/// <summary>The request examples Swagger UI offers: the seed homework first, then 1-D, 3-D, padding forms and transposed convolution.</summary>
public static class Examples
{
    /// <summary>The seed's 5×5 image A.</summary>
    public static JsonArray SeedImage() => Matrix([4, 5, 2, 2, 1], [3, 3, 2, 2, 4], [4, 3, 4, 1, 1], [5, 1, 4, 1, 2], [5, 1, 3, 1, 4]);

    /// <summary>The seed's 3×3 kernel B.</summary>
    public static JsonArray SeedKernel() => Matrix([4, 3, 3], [5, 5, 5], [2, 4, 3]);

    /// <summary>The seed's answer C = A ⊛ B.</summary>
    public static JsonArray SeedOutput() => Matrix([109, 92, 72], [108, 85, 74], [110, 74, 79]);

    public static IEnumerable<RequestExample> ConvForward() =>
    [
        new("seed", "The seed homework: a 5×5 image ⊛ a 3×3 kernel (2-D)", new() { ["input"] = SeedImage(), ["kernel"] = SeedKernel() }),
        new("1-D", "1-D: a signal of 2 channels, kernel 3, stride 2, \"same-upper\" (output ceil(8 / 2) = 4)", OneD()),
        new("3-D", "3-D: a 3×3×3 volume ⊛ a 2×2×2 kernel, padding 1 on every axis, bias", ThreeD()),
        new("asymmetric", "2-D: [begin, end] padding per axis with reflect (padded as F.pad, then convolved)", Asymmetric()),
    ];

    public static IEnumerable<RequestExample> ConvBackward() =>
    [
        new("seed", "The seed homework's backward pass: gradOutput all ones", new() { ["input"] = SeedImage(), ["kernel"] = SeedKernel(), ["gradOutput"] = Matrix([1, 1, 1], [1, 1, 1], [1, 1, 1]) }),
        new("1-D", "1-D gradients of the 1-D forward example (gradOutput absent: all ones)", OneD()),
        new("3-D", "3-D gradients of the 3-D forward example", ThreeD()),
    ];

    public static IEnumerable<RequestExample> ConvTranspose() =>
    [
        new("2-D", "2-D: the seed's 3×3 answer upsampled by a 2×2 kernel at stride 2 → 6×6", new() { ["input"] = SeedOutput(), ["kernel"] = Matrix([1, 2], [3, 4]), ["stride"] = 2 }),
        new("1-D", "1-D: 2 channels → 3, kernel 3, stride 2, padding 1, outputSize 10 (output padding 1)", new()
        {
            ["spatialDims"] = 1, ["input"] = Matrix([1, 2, 3, 4, 5], [0, 1, 0, -1, 0]), ["kernel"] = Cube([[1, 0, -1], [1, 1, 1], [0, 2, 0]], [[1, 1, 0], [0, 1, 1], [1, 0, 1]]),
            ["stride"] = 2, ["padding"] = 1, ["outputSize"] = 10,
        }),
        new("3-D", "3-D: a 2×2×2 volume, kernel 2×2×2, stride 2 → 4×4×4", new() { ["spatialDims"] = 3, ["input"] = Cube([[1, 2], [3, 4]], [[5, 6], [7, 8]]), ["kernel"] = Cube([[1, 0], [0, 1]], [[1, 1], [1, 1]]), ["stride"] = 2 }),
    ];

    public static IEnumerable<RequestExample> ConvTransposeBackward() =>
    [
        new("2-D", "Gradients of the 2-D transposed example (gradOutput absent: all ones)", new() { ["input"] = SeedOutput(), ["kernel"] = Matrix([1, 2], [3, 4]), ["stride"] = 2 }),
        new("3-D", "Gradients of the 3-D transposed example", new() { ["spatialDims"] = 3, ["input"] = Cube([[1, 2], [3, 4]], [[5, 6], [7, 8]]), ["kernel"] = Cube([[1, 0], [0, 1]], [[1, 1], [1, 1]]), ["stride"] = 2 }),
    ];

    private static JsonObject OneD() => new()
    {
        ["spatialDims"] = 1,
        ["input"] = Matrix([1, 3, 2, 0, -1, 4, 2, 1], [0, 1, 1, 2, 3, 1, 0, 2]),
        ["kernel"] = Cube([[1, 0, -1], [2, 1, 0]]),
        ["stride"] = 2,
        ["padding"] = "same-upper",
    };

    private static JsonObject ThreeD() => new()
    {
        ["spatialDims"] = 3,
        ["input"] = Cube([[1, 2, 0], [0, 1, 3], [2, 2, 1]], [[0, 1, 1], [4, 0, 2], [1, 3, 0]], [[2, 0, 1], [1, 1, 1], [0, 2, 3]]),
        ["kernel"] = Cube([[1, -1], [0, 2]], [[2, 0], [1, 1]]),
        ["bias"] = new JsonArray(0.5),
        ["padding"] = 1,
    };

    private static JsonObject Asymmetric() => new()
    {
        ["input"] = SeedImage(),
        ["kernel"] = SeedKernel(),
        ["padding"] = Matrix([1, 0], [0, 2]),
        ["paddingMode"] = "reflect",
    };

    private static JsonArray Matrix(params int[][] rows) => [.. rows.Select(row => (JsonNode)new JsonArray([.. row.Select(v => (JsonNode)v)]))];

    private static JsonArray Cube(params int[][][] planes) => [.. planes.Select(plane => (JsonNode)Matrix(plane))];
}
