using System.Text.Json.Nodes;
using ConvService.Domain.Pooling;

namespace ConvService.Api.OpenApi;

/// <summary>Learn mode's request examples, built from the seed homework (Swagger UI prefills the first of each).</summary>
public static class LearnExamples
{
    public static IEnumerable<RequestExample> ConvExplain() =>
    [
        new("seed", "The seed's cell [0, 0]: 4·4 + 5·3 + 2·3 + 3·5 + 3·5 + 2·5 + 4·2 + 3·4 + 4·3 = 109", Seed(new() { ["cell"] = Cell(0, 0) })),
        new("padding 1", "The seed with padding 1: cell [0, 0] = 66, five taps in the zero padding", Seed(new() { ["padding"] = 1, ["cell"] = Cell(0, 0) })),
        new("reflect", "The seed with reflect padding 1: the padded taps read the cells they mirror", Seed(new() { ["padding"] = 1, ["paddingMode"] = "reflect", ["cell"] = Cell(0, 0) })),
    ];

    public static IEnumerable<RequestExample> ConvBackwardExplain() =>
    [
        new("gradInput", "The seed's gradInput[1, 1] = 1·5 + 1·5 + 1·3 + 1·4 = 17 (gradOutput all ones)", Seed(new() { ["of"] = "gradInput", ["cell"] = Cell(1, 1) })),
        new("gradKernel", "The seed's gradKernel[0, 0] = 30: the top-left window's cells, each times gradOutput 1", Seed(new() { ["of"] = "gradKernel", ["cell"] = Cell(0, 0) })),
    ];

    public static IEnumerable<RequestExample> ConvTransposeExplain() =>
    [
        new("2-D", "The seed's answer C upsampled by a 2×2 kernel at stride 2: output cell [1, 1]", new()
        {
            ["input"] = Examples.SeedOutput(), ["kernel"] = Matrix([1, 2], [3, 4]), ["stride"] = 2, ["cell"] = Cell(1, 1),
        }),
    ];

    public static IEnumerable<RequestExample> ConvTransposeBackwardExplain() =>
    [
        new("gradKernel", "Gradient of the 2-D transposed example's weight [0, 0]", new()
        {
            ["input"] = Examples.SeedOutput(), ["kernel"] = Matrix([1, 2], [3, 4]), ["stride"] = 2, ["of"] = "gradKernel", ["cell"] = Cell(0, 0),
        }),
    ];

    public static IEnumerable<RequestExample> Shape() =>
    [
        new("seed", "The seed's part (a): a 5×5 image through a 3×3 kernel, no padding, stride 1 → 3×3", JsonNode.Parse("""{"input": [5, 5], "layers": [{"op": "conv", "kernelSize": 3}]}""")!.AsObject()),
        new("resnet stem", "A ResNet stem: [1, 3, 224, 224], conv 64 k7 s2 p3 → 112, max k3 s2 p1 → 56", JsonNode.Parse("""
            {"input": [1, 3, 224, 224], "spatialDims": 2, "layers": [
              {"op": "conv", "outChannels": 64, "kernelSize": 7, "stride": 2, "padding": 3},
              {"op": "max", "kernelSize": 3, "stride": 2, "padding": 1}]}
            """)!.AsObject()),
        new("1-D", "A 1-D stack: conv, avg, transposed conv back up", JsonNode.Parse("""
            {"input": [8, 2, 100], "spatialDims": 1, "layers": [
              {"op": "conv", "outChannels": 16, "kernelSize": 5, "padding": "same"},
              {"op": "avg", "kernelSize": 2},
              {"op": "conv-transpose", "outChannels": 2, "kernelSize": 2, "stride": 2}]}
            """)!.AsObject()),
    ];

    public static IEnumerable<RequestExample> Check() =>
    [
        new("seed, one slip", "The seed's C as its worked line adds up: 4×3 + 5×3 + … = 105 at [0, 0], where 4·4 gives 109", new()
        {
            ["operation"] = "/conv/forward",
            ["request"] = Seed(new()),
            ["answer"] = new JsonObject { ["output"] = Matrix([105, 92, 72], [108, 85, 74], [110, 74, 79]) },
        }),
        new("seed gradient", "The seed's gradient with respect to the input, all right", new()
        {
            ["operation"] = "/conv/backward",
            ["request"] = Seed(new()),
            ["answer"] = new JsonObject { ["gradInput"] = Matrix([4, 7, 10, 6, 3], [9, 17, 25, 16, 8], [11, 23, 34, 23, 11], [7, 16, 24, 17, 8], [2, 6, 9, 7, 3]) },
        }),
        new("max-pool", "max-pooling C, kernel 2, stride 1, answered 2×3: a wrong shape", new()
        {
            ["operation"] = "/pool/max",
            ["request"] = new JsonObject { ["input"] = Examples.SeedOutput(), ["kernelSize"] = 2, ["stride"] = 1 },
            ["answer"] = new JsonObject { ["output"] = Matrix([109, 92, 72], [110, 85, 79]) },
        }),
    ];

    /// <summary>A pool explanation from the seed: max and avg over the seed's answer C (the homework's part 1.2 c), the others over the image.</summary>
    public static IEnumerable<RequestExample> PoolExplain(PoolMode mode) => mode switch
    {
        PoolMode.Max => [new("seed", "max-pooling the seed's C, kernel 2, stride 1: cell [1, 0] = max(108, 85, 110, 74) = 110", Pool(Examples.SeedOutput(), new() { ["kernelSize"] = 2, ["stride"] = 1, ["cell"] = Cell(1, 0) }))],
        PoolMode.Avg =>
        [
            new("seed", "avg-pooling the seed's C, kernel 2, stride 1: cell [0, 0] = (109 + 92 + 108 + 85) / 4 = 98.5", Pool(Examples.SeedOutput(), new() { ["kernelSize"] = 2, ["stride"] = 1, ["cell"] = Cell(0, 0) })),
            new("padding", "the seed's image, kernel 3, stride 2, padding 1, countIncludePad false: the divisor counts only the cells inside", Pool(Examples.SeedImage(), new() { ["kernelSize"] = 3, ["stride"] = 2, ["padding"] = 1, ["countIncludePad"] = false, ["cell"] = Cell(0, 0) })),
        ],
        _ => [new("seed", $"{mode.WireName()} pooling of the seed's image: cell [0, 0]", Pool(null, PoolFields(mode)))],
    };

    /// <summary>A pool backward explanation from the seed: where the gradient of each mode's example goes.</summary>
    public static IEnumerable<RequestExample> PoolBackwardExplain(PoolMode mode) => mode switch
    {
        PoolMode.Max => [new("seed", "max-pooling the seed's C: the gradient reaching C[1, 1] = 85 (only the window that picked it sends)", Pool(Examples.SeedOutput(), new() { ["kernelSize"] = 2, ["stride"] = 1, ["cell"] = Cell(1, 1) }))],
        PoolMode.Avg => [new("seed", "avg-pooling the seed's C: C[1, 1] lies in all four windows and gets 1/4 from each", Pool(Examples.SeedOutput(), new() { ["kernelSize"] = 2, ["stride"] = 1, ["cell"] = Cell(1, 1) }))],
        _ => [new("seed", $"{mode.WireName()} pooling of the seed's image: the gradient at input [1, 1]", Pool(null, PoolFields(mode, cell: Cell(1, 1))))],
    };

    private static JsonObject PoolFields(PoolMode mode, JsonArray? cell = null) => mode switch
    {
        PoolMode.Lp => new() { ["kernelSize"] = 2, ["normType"] = 2, ["ceilMode"] = true, ["cell"] = cell ?? Cell(2, 2) },
        PoolMode.FractionalMax => new() { ["kernelSize"] = 2, ["outputSize"] = 3, ["seed"] = 7, ["cell"] = cell ?? Cell(1, 1) },
        PoolMode.AdaptiveMax => new() { ["outputSize"] = 2, ["cell"] = cell ?? Cell(1, 0) },
        _ => new() { ["outputSize"] = 2, ["cell"] = cell ?? Cell(0, 1) },
    };

    private static JsonObject Pool(JsonArray? input, JsonObject fields) => With(new JsonObject { ["input"] = input ?? Examples.SeedImage() }, fields);

    /// <summary>The seed's image and kernel plus <paramref name="fields"/>.</summary>
    private static JsonObject Seed(JsonObject fields) => With(new JsonObject { ["input"] = Examples.SeedImage(), ["kernel"] = Examples.SeedKernel() }, fields);

    /// <summary><paramref name="body"/> with <paramref name="fields"/> moved into it.</summary>
    internal static JsonObject With(JsonObject body, JsonObject fields)
    {
        foreach (var (name, value) in fields.ToList())
        {
            fields.Remove(name);
            body[name] = value;
        }
        return body;
    }

    private static JsonArray Cell(params int[] index) => [.. index.Select(i => (JsonNode)i)];

    private static JsonArray Matrix(params int[][] rows) => [.. rows.Select(row => (JsonNode)new JsonArray([.. row.Select(v => (JsonNode)v)]))];
}
