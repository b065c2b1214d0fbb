using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Learn;

/// <summary>POST /conv/backward/explain and /conv/transpose/backward/explain: the chain rule, cell by cell.</summary>
[Collection(ApiCollection.Name)]
public class ConvBackwardExplainTests(ApiFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task TheSeedsGradInput11Is17FromFourOutputCells()
    {
        var answer = await _client.Ok(Routes.ConvBackwardExplain, $$"""{ {{LearnApi.Seed}}, "of": "gradInput", "cell": [1, 1]}""");

        Assert.Equal(17, answer.GetProperty("value").GetDouble());
        Assert.Equal("1·5 + 1·5 + 1·3 + 1·4 = 17", answer.GetProperty("text").GetString());
        var terms = answer.GetProperty("terms").EnumerateArray().ToList();
        Assert.Equal([[0, 0], [0, 1], [1, 0], [1, 1]], terms.Select(t => t.GetProperty("gradOutput").Ints()));
        Assert.Equal([[1, 1], [1, 0], [0, 1], [0, 0]], terms.Select(t => t.GetProperty("kernel").Ints()));
        Assert.Contains("chain rule", answer.GetProperty("notes")[0].GetString());
    }

    [Fact]
    public async Task TheSeedsGradKernel00Is30()
    {
        var answer = await _client.Ok(Routes.ConvBackwardExplain, $$"""{ {{LearnApi.Seed}}, "of": "gradKernel", "cell": [0, 0]}""");

        Assert.Equal(30, answer.GetProperty("value").GetDouble());
        Assert.Equal("4·1 + 5·1 + 2·1 + 3·1 + 3·1 + 2·1 + 4·1 + 3·1 + 4·1 = 30", answer.GetProperty("text").GetString());
    }

    [Fact]
    public async Task GradBiasSumsGradOutputAndNeedsABias()
    {
        var answer = await _client.Ok(Routes.ConvBackwardExplain, $$"""{ {{LearnApi.Seed}}, "bias": [1], "gradOutput": [[1, 2, 3], [4, 5, 6], [7, 8, 9]], "of": "gradBias", "cell": [0]}""");
        using var missing = await _client.PostAsync(Routes.ConvBackwardExplain, Requests.Body($$"""{ {{LearnApi.Seed}}, "of": "gradBias", "cell": [0]}"""));

        Assert.Equal("1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 = 45", answer.GetProperty("text").GetString());
        await ProblemAssert.NamesField(missing, "of", "send bias");
    }

    [Theory]
    [InlineData("gradInput", "[0, 0]")]
    [InlineData("gradInput", "[1, 4]")]
    [InlineData("gradKernel", "[2, 1]")]
    public async Task GradientCellsThroughReflectPaddingHaveTheBackwardRoutesValue(string of, string cell)
    {
        const string options = "\"padding\": [1, 2], \"stride\": 2, \"paddingMode\": \"reflect\", \"gradOutput\": [[1, -2, 0.5, 1], [3, 1, -1, 0], [2, 0, 1, -1]]";
        var backward = await _client.Ok(Routes.ConvBackward, $$"""{ {{LearnApi.Seed}}, {{options}} }""");

        var answer = await _client.Ok(Routes.ConvBackwardExplain, $$"""{ {{LearnApi.Seed}}, {{options}}, "of": "{{of}}", "cell": {{cell}} }""");

        var index = System.Text.Json.JsonDocument.Parse(cell).RootElement.Ints();
        Assert.Equal(backward.At(of, index), answer.GetProperty("value").GetDouble(), 12);
    }

    [Fact]
    public async Task AGradientReachingACellThroughItsPaddingCopyIsBracketed()
    {
        var answer = await _client.Ok(Routes.ConvBackwardExplain, $$"""{ {{LearnApi.Seed}}, "padding": 1, "paddingMode": "replicate", "of": "gradInput", "cell": [0, 0]}""");

        var padded = answer.GetProperty("terms").EnumerateArray().Where(t => t.GetProperty("padded").GetBoolean()).ToList();
        Assert.NotEmpty(padded);
        Assert.Contains("[1·", answer.GetProperty("text").GetString());
        Assert.Contains("replicate padding cell that copies it", string.Join(" ", answer.GetProperty("notes").Strings()));
    }

    [Theory]
    [InlineData("gradInput", "[1, 2]")]
    [InlineData("gradKernel", "[1, 0]")]
    [InlineData("gradBias", "[0]")]
    public async Task TransposedGradientCellsHaveTheBackwardRoutesValue(string of, string cell)
    {
        const string body = """{"input": [[1, 2, 3], [4, 5, 6]], "kernel": [[1, -1], [2, 0.5]], "bias": [0.25], "stride": 2, "padding": 1, "gradOutput": [[1, 2, 0, -1], [3, 4, 1, 2]]""";
        var backward = await _client.Ok(Routes.ConvTransposeBackward, body + "}");

        var answer = await _client.Ok(Routes.ConvTransposeBackwardExplain, body + $$""", "of": "{{of}}", "cell": {{cell}} }""");

        var index = System.Text.Json.JsonDocument.Parse(cell).RootElement.Ints();
        Assert.Equal(backward.At(of, index), answer.GetProperty("value").GetDouble(), 12);
    }

    [Fact]
    public async Task AnUnknownGradientNamesOf()
    {
        using var response = await _client.PostAsync(Routes.ConvBackwardExplain, Requests.Body($$"""{ {{LearnApi.Seed}}, "of": "gradOutput", "cell": [0, 0]}"""));

        await ProblemAssert.NamesField(response, "of", "\"gradInput\", \"gradKernel\" or \"gradBias\"");
    }
}
