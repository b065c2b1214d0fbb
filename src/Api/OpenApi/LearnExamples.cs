using System.Text.Json.Nodes;

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

    /// <summary>The seed's image and kernel plus <paramref name="fields"/>.</summary>
    private static JsonObject Seed(JsonObject fields)
    {
        var body = new JsonObject { ["input"] = Examples.SeedImage(), ["kernel"] = Examples.SeedKernel() };
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
