using System.Net;
using System.Text.Json;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Learn;

/// <summary>POST /pool/{mode}/explain and /pool/{mode}/backward/explain: the seed's pooling facts and each mode's rule.</summary>
[Collection(ApiCollection.Name)]
public class PoolExplainTests(ApiFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    private const string SeedImage = "\"input\": " + Requests.SeedImage;

    [Fact]
    public async Task MaxPoolingTheSeedsCWithK2S1GivesCell10110AndNamesTheWinner()
    {
        var answer = await _client.Ok("/pool/max/explain", $$"""{"input": {{LearnApi.SeedC}}, "kernelSize": 2, "stride": 1, "cell": [1, 0]}""");

        Assert.Equal(110, answer.GetProperty("value").GetDouble());
        Assert.Equal("max(108, 85, 110, 74) = 110", answer.GetProperty("text").GetString());
        Assert.Equal([2, 0], answer.GetProperty("winner").Ints());
        Assert.Equal(6, answer.GetProperty("index").GetInt32());
        Assert.Contains("first maximal cell", answer.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task AvgPoolingTheSeedsCGivesCell00As394Over4()
    {
        var answer = await _client.Ok("/pool/avg/explain", $$"""{"input": {{LearnApi.SeedC}}, "kernelSize": 2, "stride": 1, "cell": [0, 0]}""");

        Assert.Equal(98.5, answer.GetProperty("value").GetDouble());
        Assert.Equal("(109 + 92 + 108 + 85) / 4 = 98.5", answer.GetProperty("text").GetString());
        Assert.Equal(394, answer.GetProperty("sum").GetDouble());
        Assert.Equal(4, answer.GetProperty("divisor").GetInt32());
    }

    [Theory]
    [InlineData("\"kernelSize\": 3, \"stride\": 2, \"padding\": 1", 9, "countIncludePad is true", "([0] + [0] + [0] + [0] + 4 + 5 + [0] + 3 + 3) / 9")]
    [InlineData("\"kernelSize\": 3, \"stride\": 2, \"padding\": 1, \"countIncludePad\": false", 4, "countIncludePad is false", "(4 + 5 + 3 + 3) / 4")]
    [InlineData("\"kernelSize\": 3, \"stride\": 2, \"padding\": 1, \"divisorOverride\": 7", 7, "divisorOverride = 7", "/ 7 = ")]
    [InlineData("\"kernelSize\": 2, \"stride\": 2, \"ceilMode\": true", 2, "ceilMode cut the window", "(1 + 4) / 2 = 2.5")]
    public async Task AvgSaysWhyItsDivisorIsWhatItIs(string options, int divisor, string reason, string text)
    {
        var cell = options.Contains("ceilMode", StringComparison.Ordinal) ? "[0, 2]" : "[0, 0]";
        var body = $$"""{ {{SeedImage}}, {{options}}""";
        var forward = await _client.Ok("/pool/avg", body + "}");

        var answer = await _client.Ok("/pool/avg/explain", body + $$""", "cell": {{cell}}}""");

        var index = JsonDocument.Parse(cell).RootElement.Ints();
        Assert.Equal(forward.At("output", index), answer.GetProperty("value").GetDouble(), 12);
        Assert.Equal(divisor, answer.GetProperty("divisor").GetInt32());
        Assert.Contains(reason, answer.GetProperty("divisorReason").GetString());
        Assert.Contains(text, answer.GetProperty("text").GetString());
    }

    [Fact]
    public async Task LpWritesItsFormulaWithTheNumbers()
    {
        var answer = await _client.Ok("/pool/lp/explain", $$"""{"input": [[3, 4], [0, 0]], "kernelSize": 2, "normType": 2, "cell": [0, 0]}""");

        Assert.Equal("(3^2 + 4^2 + 0^2 + 0^2)^(1/2) = 5", answer.GetProperty("text").GetString());
        Assert.Equal([9, 16, 0, 0], answer.GetProperty("terms").EnumerateArray().Select(t => t.GetProperty("power").GetDouble()));
    }

    [Fact]
    public async Task LpScalesAWindowCutAtTheEdgeAsPyTorchDoes()
    {
        var body = $$"""{ {{SeedImage}}, "kernelSize": 2, "normType": 2, "ceilMode": true""";
        var forward = await _client.Ok("/pool/lp", body + "}");

        var answer = await _client.Ok("/pool/lp/explain", body + """, "cell": [0, 2]}""");

        Assert.Equal(forward.At("output", 0, 2), answer.GetProperty("value").GetDouble(), 12);
        Assert.StartsWith("((1^2 + 4^2) / 2 · 4)^(1/2) = ", answer.GetProperty("text").GetString());
    }

    [Fact]
    public async Task MaxNamesTheTieRuleWhenCellsTie()
    {
        var answer = await _client.Ok("/pool/max/explain", """{"input": [[2, 7, 7]], "kernelSize": [1, 3], "cell": [0, 0]}""");

        Assert.Equal([0, 1], answer.GetProperty("winner").Ints());
        Assert.Contains("the first in row-major window order wins", string.Join(" ", answer.GetProperty("notes").Strings()));
    }

    [Fact]
    public async Task MaxPaddingIsMinusInfinityAndNeverWins()
    {
        var answer = await _client.Ok("/pool/max/explain", """{"input": [[-5, -6], [-7, -8]], "kernelSize": 2, "padding": 1, "cell": [0, 0]}""");

        Assert.Equal("max([-∞], [-∞], [-∞], -5) = -5", answer.GetProperty("text").GetString());
        Assert.Equal("-Infinity", answer.GetProperty("terms")[0].GetProperty("x").GetString());
    }

    [Fact]
    public async Task AdaptiveWindowsShowTheirBoundsFormula()
    {
        var answer = await _client.Ok("/pool/adaptive-avg/explain", $$"""{ {{SeedImage}}, "outputSize": 3, "cell": [1, 2]}""");

        Assert.Equal(["height: start = floor(1·5/3) = 1, end = ceil(2·5/3) = 4; reads 1 to 3", "width: start = floor(2·5/3) = 3, end = ceil(3·5/3) = 5; reads 3 to 4"],
            answer.GetProperty("bounds").Strings());
        Assert.Equal("(2 + 4 + 1 + 1 + 1 + 2) / 6 = 1.8333333333333333", answer.GetProperty("text").GetString());
    }

    [Fact]
    public async Task FractionalWindowsShowTheSampleUsed()
    {
        var body = $$"""{ {{SeedImage}}, "kernelSize": 2, "outputSize": 3, "randomSamples": [[0.25, 0.75]]""";
        var forward = await _client.Ok("/pool/fractional-max", body + "}");

        var answer = await _client.Ok("/pool/fractional-max/explain", body + """, "cell": [0, 1]}""");

        Assert.Equal(forward.At("output", 0, 1), answer.GetProperty("value").GetDouble());
        Assert.Equal([0.75, 0.25], answer.GetProperty("samples").EnumerateArray().Select(s => s.GetDouble()));
        Assert.StartsWith("width: u = 0.25, α = (5 − 2) / (3 − 1) = 1.5, start = floor((1 + u)·α) − floor(u·α) = 1 − 0 = 1", answer.GetProperty("bounds")[1].GetString());
    }

    [Theory]
    [InlineData("max", 1, "\"kernelSize\": 2, \"stride\": 1")]
    [InlineData("avg", 3, "\"kernelSize\": 2, \"stride\": 1, \"padding\": 1")]
    [InlineData("lp", 1, "\"kernelSize\": 2, \"normType\": 3")]
    [InlineData("adaptive-max", 3, "\"outputSize\": 2")]
    [InlineData("adaptive-avg", 1, "\"outputSize\": 3")]
    [InlineData("fractional-max", 3, "\"kernelSize\": 1, \"outputSize\": 2, \"seed\": 5")]
    public async Task OneDAndThreeDCellsHaveTheRoutesValues(string mode, int dims, string options)
    {
        var input = dims == 1 ? "[[1, 5, -2, 4, 3, 0]]" : "[[[1, 5, -2], [4, 3, 0], [2, 2, 6]], [[0, 1, 7], [3, -1, 2], [5, 4, 1]], [[2, 0, 3], [1, 6, 2], [0, 3, 4]], [[1, 1, 1], [2, 2, 2], [3, 3, 3]]]";
        var lead = dims == 1 ? "[0, 1]" : "[1, 0, 1]";
        var body = $$"""{"spatialDims": {{dims}}, "input": {{input}}, {{options}}""";
        var forward = await _client.Ok($"/pool/{mode}", body + "}");

        var answer = await _client.Ok($"/pool/{mode}/explain", body + $$""", "cell": {{lead}}}""");

        Assert.Equal(forward.At("output", JsonDocument.Parse(lead).RootElement.Ints()), answer.GetProperty("value").GetDouble(), 12);
        Assert.Equal(dims, answer.GetProperty("outputSize").GetArrayLength());
    }

    [Fact]
    public async Task MaxGradientGoesOnlyWhereTheWindowPickedTheCell()
    {
        var answer = await _client.Ok("/pool/max/backward/explain", $$"""{"input": {{LearnApi.SeedC}}, "kernelSize": 2, "stride": 1, "cell": [1, 1]}""");

        Assert.Equal(1, answer.GetProperty("value").GetDouble());
        Assert.Equal([false, false, false, true], answer.GetProperty("terms").EnumerateArray().Select(t => t.GetProperty("sends").GetBoolean()));
        Assert.Equal("gradOutput[1, 1] = 1", answer.GetProperty("text").GetString());
    }

    [Fact]
    public async Task AMaxGradientNamesEveryOutputThatPickedTheCell()
    {
        var answer = await _client.Ok("/pool/max/backward/explain", """{"input": [[1, 9, 1]], "kernelSize": [1, 2], "stride": 1, "gradOutput": [[2, -0.5]], "cell": [0, 1]}""");

        Assert.Equal("gradOutput[0, 0] + gradOutput[0, 1] = 2 + (-0.5) = 1.5", answer.GetProperty("text").GetString());
    }

    [Fact]
    public async Task AvgGradientIsTheSharesOfEveryWindowThatHoldsTheCell()
    {
        var answer = await _client.Ok("/pool/avg/backward/explain", $$"""{"input": {{LearnApi.SeedC}}, "kernelSize": 2, "stride": 1, "gradOutput": [[1, 2], [-3, 4]], "cell": [1, 1]}""");

        Assert.Equal("1/4 + 2/4 + (-3)/4 + 4/4 = 1", answer.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("max", "\"kernelSize\": 2, \"stride\": 1, \"padding\": 1, \"dilation\": 2")]
    [InlineData("avg", "\"kernelSize\": 3, \"stride\": 2, \"padding\": 1, \"ceilMode\": true, \"countIncludePad\": false")]
    [InlineData("lp", "\"kernelSize\": [2, 3], \"stride\": 1, \"normType\": 1.5")]
    [InlineData("adaptive-avg", "\"outputSize\": [2, 4]")]
    public async Task GradientCellsHaveTheBackwardRoutesValue(string mode, string options)
    {
        var body = $$"""{ {{SeedImage}}, {{options}}""";
        var backward = await _client.Ok($"/pool/{mode}/backward", body + "}");

        foreach (var cell in new[] { new[] { 0, 0 }, [2, 3], [4, 1] })
        {
            var answer = await _client.Ok($"/pool/{mode}/backward/explain", body + $$""", "cell": [{{cell[0]}}, {{cell[1]}}]}""");
            Assert.Equal(backward.At("gradInput", cell), answer.GetProperty("value").GetDouble(), 12);
        }
    }

    [Fact]
    public async Task AnUnknownModeIs404NamingTheModes()
    {
        using var response = await _client.PostAsync("/pool/median/explain", Requests.Body($$"""{ {{SeedImage}}, "cell": [0, 0]}"""));

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.NotFound);
        Assert.Contains("adaptive-avg", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ACellOutsideTheOutputNamesCellAndTheShape()
    {
        using var response = await _client.PostAsync("/pool/max/explain", Requests.Body($$"""{"input": {{LearnApi.SeedC}}, "kernelSize": 2, "cell": [1, 0]}"""));

        await ProblemAssert.NamesField(response, "cell", "outside the output", "1×1");
    }
}
