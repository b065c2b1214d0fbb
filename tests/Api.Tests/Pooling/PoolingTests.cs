using System.Net;
using System.Text.Json;
using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Pooling;

[Collection(ApiCollection.Name)]
public class PoolingTests(ApiFactory factory)
{
    private const string SeedC = "[[109,92,72],[108,85,74],[110,74,79]]";

    private readonly HttpClient _client = factory.CreateClient();

    private Task<HttpResponseMessage> Post(string mode, string json) => _client.PostAsync($"{Routes.Pool}/{mode}", Requests.Body(json));

    [Fact]
    public async Task PostingTheSeedsMaxPoolReturnsItsAnswer()
    {
        using var response = await Post("max", $$"""{"input": {{SeedC}}, "kernelSize": 2, "stride": 1, "returnIndices": true}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"output":[[109,92],[110,85]],"indices":[[0,1],[6,4]]}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PostingFlatInputAnswersFlatIncludingIndices()
    {
        using var response = await Post("adaptive-max", """{"input": {"shape": [1, 4], "data": [1, 3, 2, 0]}, "outputSize": [null, 2], "returnIndices": true}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"output":{"shape":[1,2],"data":[3,2]},"indices":{"shape":[1,2],"data":[1,2]}}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PostingFractionalMaxWithASeedReturnsSamplesThatReproduceTheResult()
    {
        const string input = "[[[1,8,3,4,5],[6,2,0,9,7],[3,3,1,2,8],[5,6,4,0,1],[9,1,2,7,3]]]";
        using var seeded = await Post("fractional-max", $$"""{"input": {{input}}, "kernelSize": 2, "outputSize": 3, "seed": 5}""");
        using var first = JsonDocument.Parse(await seeded.Content.ReadAsStringAsync());
        var samples = first.RootElement.GetProperty("randomSamples");

        using var replayed = await Post("fractional-max", $$"""{"input": {{input}}, "kernelSize": 2, "outputSize": 3, "randomSamples": {{samples.GetRawText()}}}""");
        using var second = JsonDocument.Parse(await replayed.Content.ReadAsStringAsync());

        Assert.Equal(1, samples.GetArrayLength());
        Assert.Equal(first.RootElement.GetProperty("output").GetRawText(), second.RootElement.GetProperty("output").GetRawText());
    }

    [Fact]
    public async Task PostingBackwardWithoutGradOutputGivesTheGradientOfTheSum()
    {
        using var response = await Post("avg/backward", """{"input": [[1, 2], [3, 4]], "kernelSize": 2}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"gradInput":[[0.25,0.25],[0.25,0.25]]}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("median")]
    [InlineData("median/backward")]
    public async Task PostingAnUnknownModeReturnsNotFoundListingTheModes(string route)
    {
        using var response = await Post(route, """{"input": [[1]]}""");

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.NotFound);
        Assert.Contains("\"median\" is not a pooling mode", problem.GetProperty("detail").GetString());
        Assert.Equal(["max", "avg", "lp", "fractional-max", "adaptive-max", "adaptive-avg"], problem.GetProperty("modes").EnumerateArray().Select(m => m.GetString()!));
    }

    [Theory]
    [InlineData("max", """ "normType": 2 """, "normType", "normType does not apply to max pooling")]
    [InlineData("avg", """ "outputSize": 2 """, "outputSize", "outputSize does not apply to avg pooling")]
    [InlineData("lp", """ "normType": 2, "padding": 1 """, "padding", "padding does not apply to lp pooling")]
    [InlineData("adaptive-avg", """ "outputSize": 1, "returnIndices": true """, "returnIndices", "returnIndices does not apply to adaptive-avg pooling")]
    public async Task PostingAFieldOfAnotherModeNamesIt(string mode, string fields, string field, string message)
    {
        var kernel = mode.StartsWith("adaptive", StringComparison.Ordinal) ? "" : "\"kernelSize\": 2,";
        using var response = await Post(mode, $$"""{"input": [[1, 2], [3, 4]], {{kernel}} {{fields}}}""");

        await ProblemAssert.NamesField(response, field, message);
    }

    [Theory]
    [InlineData("max", """ "kernelSize": 3, "padding": 2 """, "padding", "padding 2 must be at most half the dilated kernel 3 (1)")]
    [InlineData("avg", """ "kernelSize": 2, "divisorOverride": 0 """, "divisorOverride", "divisorOverride must be ≥ 1; got 0")]
    [InlineData("avg", """ "stride": 2 """, "kernelSize", "kernelSize is required for avg pooling")]
    [InlineData("lp", """ "kernelSize": 2 """, "normType", "normType is required for lp pooling")]
    [InlineData("lp", """ "kernelSize": 2, "normType": 0 """, "normType", "normType must be > 0; got 0")]
    [InlineData("max", """ "kernelSize": 5 """, "kernelSize", "kernel 5×5 is larger than the padded input 3×3")]
    [InlineData("adaptive-max", """ "outputSize": [0, null] """, "outputSize", "outputSize must be ≥ 1; got 0×none")]
    [InlineData("adaptive-avg", """ "outputSize": [1, 2, 3] """, "outputSize", "exactly 2 entries")]
    [InlineData("fractional-max", """ "kernelSize": 2, "outputRatio": 1.5 """, "outputRatio", "outputRatio must lie in (0, 1); got 1.5×1.5")]
    [InlineData("fractional-max", """ "kernelSize": 2, "outputSize": 3 """, "outputSize", "output height 3 with kernel 2 needs an input height of at least 4; got 3")]
    [InlineData("fractional-max", """ "kernelSize": 2, "outputSize": [2, null] """, "outputSize", "outputSize of fractional-max pooling must be integers ≥ 1")]
    [InlineData("fractional-max", """ "kernelSize": 2, "outputSize": 2, "randomSamples": [[0.5, 1]] """, "randomSamples", "randomSamples must lie in [0, 1) in the request's dtype; element 1 is 1")]
    [InlineData("fractional-max", """ "kernelSize": 2, "outputSize": 2, "randomSamples": [[0.5, 0.99999999]], "dtype": "float32" """, "randomSamples", "element 1 is 0.99999999")]
    [InlineData("fractional-max", """ "kernelSize": 2, "outputSize": 2, "randomSamples": [0.5, 0.5] """, "randomSamples", "randomSamples must have shape 1×2")]
    [InlineData("max/backward", """ "kernelSize": 2, "gradOutput": [[1, 2, 3]] """, "gradOutput", "gradOutput must have the output's shape 1×1; got 1×3")]
    public async Task PostingABrokenConstraintNamesTheFieldAndTheNumbers(string mode, string fields, string field, string message)
    {
        using var response = await Post(mode, $$"""{"input": [[1, 2, 3], [4, 5, 6], [7, 8, 9]], {{fields}}}""");

        await ProblemAssert.NamesField(response, field, message);
    }

    [Fact]
    public async Task SwaggerDocumentsEachModeWithItsOwnExample()
    {
        using var document = JsonDocument.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"));
        var paths = document.RootElement.GetProperty("paths");

        string Example(string route) => JsonSerializer.Serialize(paths.GetProperty(route).GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example"));

        Assert.Equal("""{"input":[[109,92,72],[108,85,74],[110,74,79]],"kernelSize":2,"stride":1}""", Example("/pool/max"));
        var examples = new[] { "max", "avg", "lp", "fractional-max", "adaptive-max", "adaptive-avg" }.Select(mode => Example($"/pool/{mode}")).ToHashSet();
        Assert.Equal(6, examples.Count);
    }
}
