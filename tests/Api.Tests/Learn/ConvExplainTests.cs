using System.Text.Json;
using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Learn;

/// <summary>POST /conv/explain and /conv/transpose/explain: the seed's facts, and padded, strided, dilated, grouped and batched cells.</summary>
[Collection(ApiCollection.Name)]
public class ConvExplainTests(ApiFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task ExplainingTheSeedsCell00WritesTheHomeworksSum()
    {
        var answer = await _client.Ok(Routes.ConvExplain, $$"""{ {{LearnApi.Seed}}, "cell": [0, 0]}""");

        Assert.Equal(109, answer.GetProperty("value").GetDouble());
        Assert.Equal("4·4 + 5·3 + 2·3 + 3·5 + 3·5 + 2·5 + 4·2 + 3·4 + 4·3 = 109", answer.GetProperty("text").GetString());
        var terms = answer.GetProperty("terms");
        Assert.Equal(9, terms.GetArrayLength());
        Assert.Equal("""{"input":[0,0],"kernel":[0,0],"x":4,"w":4,"product":16,"padded":false}""", terms[0].GetRawText());
        Assert.Equal("""{"input":[2,2],"kernel":[2,2],"x":4,"w":3,"product":12,"padded":false}""", terms[8].GetRawText());
        Assert.Equal(["floor((5 + 0 + 0 − 1·(3 − 1) − 1) / 1) + 1 = 3", "floor((5 + 0 + 0 − 1·(3 − 1) − 1) / 1) + 1 = 3"], answer.GetProperty("outputSize").Strings());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("bias").ValueKind);
    }

    [Fact]
    public async Task ExplainingTheSeedWithPadding1Gives66WithThePaddedTermsMarked()
    {
        var answer = await _client.Ok(Routes.ConvExplain, $$"""{ {{LearnApi.Seed}}, "padding": 1, "cell": [0, 0]}""");

        Assert.Equal(66, answer.GetProperty("value").GetDouble());
        Assert.Equal("[0]·4 + [0]·3 + [0]·3 + [0]·5 + 4·5 + 5·5 + [0]·2 + 3·4 + 3·3 = 66", answer.GetProperty("text").GetString());
        var padded = answer.GetProperty("terms").EnumerateArray().Where(t => t.GetProperty("padded").GetBoolean()).ToList();
        Assert.Equal(5, padded.Count);
        Assert.All(padded, t => Assert.Equal(0, t.GetProperty("x").GetDouble()));
        Assert.Equal([-1, -1], padded[0].GetProperty("position").Ints());
        Assert.Equal([1, -1], padded[^1].GetProperty("position").Ints());
    }

    [Fact]
    public async Task ReflectPaddingNamesTheCellEachPaddedTapCopies()
    {
        var forward = await _client.Ok(Routes.ConvForward, $$"""{ {{LearnApi.Seed}}, "padding": 1, "paddingMode": "reflect"}""");

        var answer = await _client.Ok(Routes.ConvExplain, $$"""{ {{LearnApi.Seed}}, "padding": 1, "paddingMode": "reflect", "cell": [0, 0]}""");

        Assert.Equal(forward.At("output", 0, 0), answer.GetProperty("value").GetDouble());
        var first = answer.GetProperty("terms")[0];
        Assert.Equal([1, 1], first.GetProperty("input").Ints());
        Assert.Equal([-1, -1], first.GetProperty("position").Ints());
        Assert.StartsWith("[3]·4 + ", answer.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("\"stride\": 2", 1, 1)]
    [InlineData("\"dilation\": 2", 0, 0)]
    [InlineData("\"stride\": [2, 1], \"padding\": [[1, 0], [2, 1]], \"paddingMode\": \"circular\"", 1, 5)]
    [InlineData("\"padding\": \"same\", \"paddingMode\": \"replicate\"", 4, 0)]
    public async Task StridedDilatedAndPaddedCellsHaveTheForwardRoutesValue(string options, int i, int j)
    {
        var forward = await _client.Ok(Routes.ConvForward, $$"""{ {{LearnApi.Seed}}, {{options}} }""");

        var answer = await _client.Ok(Routes.ConvExplain, $$"""{ {{LearnApi.Seed}}, {{options}}, "cell": [{{i}}, {{j}}]}""");

        Assert.Equal(forward.At("output", i, j), answer.GetProperty("value").GetDouble(), 12);
        Assert.Equal(9, answer.GetProperty("terms").GetArrayLength());
    }

    [Fact]
    public async Task DilationSpreadsTheWindowOverEveryOtherCell()
    {
        var answer = await _client.Ok(Routes.ConvExplain, $$"""{ {{LearnApi.Seed}}, "dilation": 2, "cell": [0, 0]}""");

        Assert.Equal([[0, 0], [0, 2], [0, 4], [2, 0], [2, 2], [2, 4], [4, 0], [4, 2], [4, 4]], answer.GetProperty("terms").EnumerateArray().Select(t => t.GetProperty("input").Ints()));
        Assert.Contains("height 0 to 4 every 2", answer.GetProperty("notes")[0].GetString());
    }

    [Fact]
    public async Task AGroupedBatchedCellReadsOnlyItsGroupsChannelsOfItsBatchAndAddsTheBias()
    {
        var input = """{"shape": [2, 4, 3, 3], "data": [""" + string.Join(",", Enumerable.Range(0, 72).Select(v => v % 7 - 3)) + "]}";
        var kernel = """{"shape": [2, 2, 2, 2], "data": [""" + string.Join(",", Enumerable.Range(0, 16).Select(v => v % 5 - 2)) + "]}";
        var body = $$"""{"input": {{input}}, "kernel": {{kernel}}, "bias": [0.5, -1.5], "groups": 2""";
        var forward = await _client.Ok(Routes.ConvForward, body + "}");

        var answer = await _client.Ok(Routes.ConvExplain, body + """, "cell": [1, 1, 0, 1]}""");

        Assert.Equal(forward.At("output", 1, 1, 0, 1), answer.GetProperty("value").GetDouble(), 12);
        var terms = answer.GetProperty("terms").EnumerateArray().ToList();
        Assert.Equal(8, terms.Count);
        Assert.All(terms, t => Assert.Equal(1, t.GetProperty("input")[0].GetInt32()));
        Assert.Equal([2, 2, 2, 2, 3, 3, 3, 3], terms.Select(t => t.GetProperty("input")[1].GetInt32()));
        Assert.Equal(-1.5, answer.GetProperty("bias").GetDouble());
        Assert.EndsWith($" + (-1.5) = {answer.GetProperty("value").GetDouble()}", answer.GetProperty("text").GetString());
        Assert.Contains("input channels 2 to 3 (group 1 of 2)", answer.GetProperty("notes")[0].GetString());
    }

    [Fact]
    public async Task NegativeFactorsAreWrittenInParentheses()
    {
        var answer = await _client.Ok(Routes.ConvExplain, """{"input": [[-1.5, 2]], "kernel": [[2, -1]], "cell": [0, 0]}""");

        Assert.Equal("(-1.5)·2 + 2·(-1) = -5", answer.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("float64", "0.1·1 + 0.2·1 = 0.30000000000000004")]
    [InlineData("float32", "0.1·1 + 0.2·1 = 0.3")]
    public async Task NumbersAreTheShortestDigitsOfTheRequestsPrecision(string dtype, string text)
    {
        var answer = await _client.Ok(Routes.ConvExplain, $$"""{"input": [[0.1, 0.2]], "kernel": [[1, 1]], "dtype": "{{dtype}}", "cell": [0, 0]}""");

        Assert.Equal(text, answer.GetProperty("text").GetString());
    }

    [Fact]
    public async Task ALongSumElidesItsMiddleButListsEveryTerm()
    {
        var ones = string.Join(",", Enumerable.Repeat(1, 4151));
        var answer = await _client.Ok(Routes.ConvExplain, $$"""{"spatialDims": 1, "input": [{{ones}}], "kernel": [{{ones}}], "cell": [0]}""");

        Assert.Equal(4151, answer.GetProperty("terms").GetArrayLength());
        var text = answer.GetProperty("text").GetString()!;
        Assert.Contains(" + … 4,087 more … + ", text);
        Assert.Equal(64, text.Split(" + ").Count(t => t.StartsWith("1·1", StringComparison.Ordinal)));
        Assert.EndsWith(" = 4151", text);
    }

    [Theory]
    [InlineData(1, "[[1, 2, 3, 4, 5]]", "[[[1, 0, -1]]]", "[0, 2]")]
    [InlineData(3, "[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]", "[[[1, 1], [0, 1]], [[2, 0], [1, 1]]]", "[0, 0, 0]")]
    public async Task OneDAndThreeDCellsAreExplainedWithSpatialDims(int dims, string input, string kernel, string cell)
    {
        var body = $$"""{"spatialDims": {{dims}}, "input": {{input}}, "kernel": {{kernel}}, "padding": 1""";
        var forward = await _client.Ok(Routes.ConvForward, body + "}");

        var answer = await _client.Ok(Routes.ConvExplain, body + $$""", "cell": {{cell}}}""");

        Assert.Equal(forward.At("output", JsonDocument.Parse(cell).RootElement.Ints()), answer.GetProperty("value").GetDouble(), 12);
        Assert.Equal(dims, answer.GetProperty("outputSize").GetArrayLength());
    }

    [Fact]
    public async Task ATransposedOutputCellGathersTheInputCellsThatLandOnIt()
    {
        const string body = """{"input": [[109, 92, 72], [108, 85, 74], [110, 74, 79]], "kernel": [[1, 2], [3, 4]], "stride": 2""";
        var forward = await _client.Ok(Routes.ConvTranspose, body + "}");

        var answer = await _client.Ok(Routes.ConvTransposeExplain, body + """, "cell": [1, 1]}""");

        Assert.Equal(forward.At("output", 1, 1), answer.GetProperty("value").GetDouble());
        Assert.Equal("109·4 = 436", answer.GetProperty("text").GetString());
        Assert.Equal(["(3 − 1)·2 − 2·0 + 1·(2 − 1) + 0 + 1 = 6", "(3 − 1)·2 − 2·0 + 1·(2 − 1) + 0 + 1 = 6"], answer.GetProperty("outputSize").Strings());
    }

    [Fact]
    public async Task ACellOutsideTheOutputNamesCellAndTheOutputsShape()
    {
        using var response = await _client.PostAsync(Routes.ConvExplain, Requests.Body($$"""{ {{LearnApi.Seed}}, "cell": [3, 0]}"""));

        await ProblemAssert.NamesField(response, "cell", "outside the output", "3×3");
    }

    [Fact]
    public async Task ACellOfTheWrongRankNamesCellAndTheRank()
    {
        using var response = await _client.PostAsync(Routes.ConvExplain, Requests.Body($$"""{ {{LearnApi.Seed}}, "cell": [0, 0, 0]}"""));

        await ProblemAssert.NamesField(response, "cell", "3 indices", "rank 2");
    }

    [Fact]
    public async Task AMissingCellIsNamed()
    {
        using var response = await _client.PostAsync(Routes.ConvExplain, Requests.Body($$"""{ {{LearnApi.Seed}} }"""));

        await ProblemAssert.NamesField(response, "cell", "required");
    }
}

/// <summary>An explanation longer than Limits:MaxExplainTerms is refused with a 400 that suggests a smaller problem.</summary>
public sealed class ExplainLimitTests(ExplainLimitTests.Factory factory) : IClassFixture<ExplainLimitTests.Factory>
{
    public sealed class Factory : LimitedApiFactory
    {
        protected override IReadOnlyDictionary<string, string> Limits => new Dictionary<string, string> { ["MaxExplainTerms"] = "50" };
    }

    [Fact]
    public async Task ASumLongerThanTheLimitIsA400SuggestingASmallerProblem()
    {
        var ones = string.Join(",", Enumerable.Repeat(1, 64));
        using var response = await factory.CreateClient().PostAsync(Routes.ConvExplain, Requests.Body($$"""{"spatialDims": 1, "input": [{{ones}}], "kernel": [{{ones}}], "cell": [0]}"""));

        await ProblemAssert.NamesField(response, "cell", "64 terms", "MaxExplainTerms = 50", "smaller problem");
    }
}
