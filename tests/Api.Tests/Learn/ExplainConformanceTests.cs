using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Learn;

/// <summary>
/// The property that makes explanations trustworthy: over every conformance case of every conv and pool route (seed,
/// v1, float32 and N-d files), random cells of each answer, explained by the matching explain route, have the value the
/// compute route returned for that cell, within 1e-12 relative, in float64 (float32 cases are replayed in float64 for
/// this comparison). The kernels add in another order (blocked GEMM, vector rows), so exact equality is not expected.
/// </summary>
[Collection(ApiCollection.Name)]
public class ExplainConformanceTests(ApiFactory factory)
{
    private const int CellsPerField = 3;

    private static readonly string[] Files = ["seed.jsonl", "cases.jsonl", "float32.jsonl", "nd.jsonl"];

    public static TheoryData<ConformanceCase> ConvCases => ConformanceCase.Where("/conv", Files);

    public static TheoryData<ConformanceCase> PoolCases => ConformanceCase.Where("/pool", Files);

    [Theory]
    [MemberData(nameof(ConvCases))]
    public Task ExplainedConvCellsHaveTheValuesTheRouteComputes(ConformanceCase testCase) => AssertExplainedCells(testCase);

    [Theory]
    [MemberData(nameof(PoolCases))]
    public Task ExplainedPoolCellsHaveTheValuesTheRouteComputes(ConformanceCase testCase) => AssertExplainedCells(testCase);

    private async Task AssertExplainedCells(ConformanceCase testCase)
    {
        var client = factory.CreateClient();
        var request = JsonNode.Parse(testCase.Parse().RootElement.GetProperty("request").GetRawText())!.AsObject();
        request["dtype"] = "float64";
        var answer = await PostAsync(client, testCase.Endpoint, request, $"{testCase}");
        var random = new Random(testCase.Line * 31 + testCase.File.Length);

        foreach (var (field, route, of) in Explained(testCase.Endpoint))
        {
            if (!answer.TryGetProperty(field, out var computed))
                continue;
            var tensor = WireTensor.Parse(computed);
            if (tensor.Data.Length == 0)
                continue;
            for (var k = 0; k < CellsPerField; k++)
            {
                var flat = random.Next(tensor.Data.Length);
                var cell = Unravel(flat, tensor.Shape);
                var body = request.DeepClone().AsObject();
                body["cell"] = new JsonArray([.. cell.Select(i => (JsonNode)i)]);
                if (of is not null)
                    body["of"] = of;
                var explained = await PostAsync(client, route, body, $"{testCase} {route} {field}[{string.Join(", ", cell)}]");

                var expected = tensor.Data[flat];
                var actual = Number(explained.GetProperty("value"));
                var ok = expected.Equals(actual) || Math.Abs(expected - actual) <= 1e-12 * Math.Abs(expected);
                Assert.True(ok, $"{testCase}: {field}[{string.Join(", ", cell)}] is {expected:R} from {testCase.Endpoint}, but {route} explains {actual:R}: {explained.GetProperty("text")}");
            }
        }
    }

    /// <summary>The answer fields of a route, and the explain route (and of) that explains each.</summary>
    private static IEnumerable<(string Field, string Route, string? Of)> Explained(string endpoint)
    {
        if (endpoint.EndsWith("/backward", StringComparison.Ordinal) && endpoint.StartsWith("/conv", StringComparison.Ordinal))
            return new[] { "gradInput", "gradKernel", "gradBias" }.Select(of => (of, endpoint + "/explain", (string?)of));
        if (endpoint.EndsWith("/backward", StringComparison.Ordinal))
            return [("gradInput", endpoint + "/explain", null)];
        return endpoint == "/conv/forward" ? [("output", "/conv/explain", null)] : [("output", endpoint + "/explain", null)];
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string route, JsonObject body, string what)
    {
        using var response = await client.PostAsync(route, Requests.Body(body.ToJsonString()));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{what}: HTTP {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static int[] Unravel(int flat, int[] shape)
    {
        var cell = new int[shape.Length];
        for (var a = shape.Length - 1; a >= 0; a--)
            (cell[a], flat) = (flat % shape[a], flat / shape[a]);
        return cell;
    }

    private static double Number(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString() switch { "NaN" => double.NaN, "Infinity" => double.PositiveInfinity, _ => double.NegativeInfinity }
        : e.GetDouble();
}
