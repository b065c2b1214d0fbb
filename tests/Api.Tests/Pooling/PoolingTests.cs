using System.Net;
using System.Text.Json;
using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Pooling;

/// <summary>/pool/{mode} through HTTP in 1, 2 and 3 spatial dimensions: answers, and a 400 naming the field for everything PyTorch lacks or refuses.</summary>
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
    [InlineData("adaptive-avg", """ "outputSize": [1, 2, 3] """, "outputSize", "outputSize has 3 entries but spatialDims 2 needs one integer or 2 (H, W): for a 3-D call send spatialDims 3")]
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
    public async Task SwaggerDocumentsEachModeWithItsOwnExamplesIn1DAnd3D()
    {
        using var document = JsonDocument.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"));
        var paths = document.RootElement.GetProperty("paths");

        JsonElement Examples(string route) => paths.GetProperty(route).GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("examples");

        Assert.Equal("""{"input":[[109,92,72],[108,85,74],[110,74,79]],"kernelSize":2,"stride":1}""", JsonSerializer.Serialize(Examples("/pool/max").EnumerateObject().First().Value.GetProperty("value")));
        var modes = new[] { "max", "avg", "lp", "fractional-max", "adaptive-max", "adaptive-avg" };
        Assert.Equal(6, modes.Select(mode => Examples($"/pool/{mode}").EnumerateObject().First().Value.GetRawText()).ToHashSet().Count);
        foreach (var mode in modes)
        {
            var names = Examples($"/pool/{mode}").EnumerateObject().Select(e => e.Name).ToArray();
            Assert.Contains("3-D", names);
            Assert.Equal(mode != "fractional-max", names.Contains("1-D"));
        }
    }

    [Fact]
    public async Task PostingA1DMaxPoolAnswersFlatWithIndicesAlongTheLine()
    {
        using var response = await Post("max", """{"spatialDims": 1, "input": {"shape": [1, 6], "data": [1, 3, 2, 5, 4, 0]}, "kernelSize": 2, "returnIndices": true}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"output":{"shape":[1,3],"data":[3,5,4]},"indices":{"shape":[1,3],"data":[1,3,4]}}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PostingA3DMaxPoolReturnsFlatPositionsInTheVolume()
    {
        // A 2×2×2 volume whose maximum 9 sits at depth 1, row 0, column 1: position 1·4 + 0·2 + 1 = 5.
        using var response = await Post("max", """{"spatialDims": 3, "input": [[[1, 2], [3, 4]], [[5, 9], [7, 8]]], "kernelSize": 2, "returnIndices": true}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"output":[[[9]]],"indices":[[[5]]]}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PostingA3DFractionalMaxPoolReturnsDSamplesPerPlane()
    {
        using var response = await Post("fractional-max", """{"spatialDims": 3, "input": {"shape": [2, 4, 4, 4], "data": []}, "kernelSize": 2, "outputSize": 2, "seed": 3}""".Replace("[]", "[" + string.Join(",", Enumerable.Range(0, 128)) + "]", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal([2, 2, 2, 2], answer.RootElement.GetProperty("output").GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal([2, 3], answer.RootElement.GetProperty("randomSamples").GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
    }

    [Theory]
    [InlineData("max", """ "input": {"shape": [1, 1, 2, 2, 2], "data": [1, 2, 3, 4, 5, 6, 7, 8]}, "kernelSize": 2 """, "input", "got rank 5 (1×1×2×2×2): for a 3-D batched pooling send spatialDims 3")]
    [InlineData("avg", """ "input": [[1, 2, 3, 4]], "kernelSize": [2, 2, 2] """, "kernelSize", "kernelSize has 3 entries but spatialDims 2 needs one integer or 2 (H, W): for a 3-D call send spatialDims 3")]
    [InlineData("lp", """ "spatialDims": 1, "input": [1, 2, 3, 4], "kernelSize": [2, 2], "normType": 2 """, "kernelSize", "kernelSize has 2 entries but spatialDims 1 needs one integer or 1 (L): for a 2-D call send spatialDims 2")]
    [InlineData("max", """ "spatialDims": 1, "input": [1, 2, 3, 4], "kernelSize": 2, "padding": [1, 1] """, "padding", "padding has 2 entries but spatialDims 1 needs one integer or 1 (L): for a 2-D call send spatialDims 2")]
    [InlineData("fractional-max", """ "spatialDims": 1, "input": [1, 2, 3, 4], "kernelSize": 2, "outputSize": 2 """, "spatialDims", "fractional-max pooling has no 1-D form")]
    [InlineData("avg", """ "spatialDims": 1, "input": [1, 2, 3, 4], "kernelSize": 2, "divisorOverride": 3 """, "divisorOverride", "divisorOverride does not apply to 1-D avg pooling (PyTorch's avg_pool1d has none)")]
    [InlineData("adaptive-max", """ "spatialDims": 1, "input": [1, 2, 3, 4], "outputSize": [null] """, "outputSize", "outputSize of 1-D adaptive pooling must be an integer ≥ 1")]
    [InlineData("avg", """ "spatialDims": 3, "input": {"shape": [2, 4, 4], "data": []}, "kernelSize": 3, "padding": 1 """, "kernelSize", "kernel 3×3×3 is larger than the input 2×4×4 along the depth: PyTorch's avg_pool3d")]
    [InlineData("max", """ "spatialDims": 3, "input": {"shape": [4, 4, 4], "data": []}, "kernelSize": 2, "dilation": 3, "padding": 2 """, "padding", "padding 2 must be at most half the kernel 2 (1) along the depth (PyTorch's max_pool3d checks the undilated kernel)")]
    [InlineData("fractional-max", """ "spatialDims": 3, "input": {"shape": [5, 5, 5], "data": []}, "kernelSize": 2, "outputSize": [4, 2, 2] """, "outputSize", "output depth 4 with kernel 2 needs an input depth of at least 6 (fractional_max_pool3d needs O + K − 1 < I); got 5")]
    [InlineData("fractional-max", """ "spatialDims": 3, "input": {"shape": [5, 5, 5], "data": []}, "kernelSize": 2, "outputSize": 2, "randomSamples": [[0.5, 0.5]] """, "randomSamples", "randomSamples must have shape 1×3 (one (depth, height, width) triple per plane)")]
    [InlineData("max", """ "spatialDims": 4, "input": [[1]], "kernelSize": 1 """, "spatialDims", "spatialDims must be 1 (L), 2 (H, W) or 3 (D, H, W); got 4")]
    [InlineData("adaptive-avg", """ "spatialDims": 3, "input": {"shape": [2, 2, 2], "data": []}, "outputSize": [1, 2, 3, 4] """, "outputSize", "outputSize has 4 entries but spatialDims 3 needs one integer or 3 (D, H, W)")]
    [InlineData("adaptive-avg", """ "input": [[1, 2]], "outputSize": [1, "2"] """, "outputSize", "a per-axis list holds integers or nulls; entry 1: expected an integer")]
    public async Task PostingWhatPyTorchRefusesNamesTheFieldAndTheNumbers(string mode, string fields, string field, string message)
    {
        using var response = await Post(mode, "{" + Filled(fields) + "}");

        await ProblemAssert.NamesField(response, field, message);
    }

    [Fact]
    public async Task EveryPoolingExampleInSwaggerIsAnsweredForwardAndBackward()
    {
        using var document = JsonDocument.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"));
        var checkedExamples = 0;
        // Learn mode's /pool/{mode}/explain routes have examples of their own (tests/Api.Tests/Learn).
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject()
                     .Where(p => p.Name.StartsWith(Routes.Pool + "/", StringComparison.Ordinal) && !p.Name.EndsWith("/explain", StringComparison.Ordinal)))
        {
            var examples = path.Value.GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("examples");
            foreach (var example in examples.EnumerateObject())
            {
                using var response = await _client.PostAsync(path.Name, Requests.Body(example.Value.GetProperty("value").GetRawText()));
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path.Name} example {example.Name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                checkedExamples++;
            }
        }
        Assert.Equal(2 * (5 * 3 + 2), checkedExamples);
    }

    // {"shape": [...], "data": []} stands for that many zeros.
    private static string Filled(string fields)
    {
        var at = fields.IndexOf("\"data\": []", StringComparison.Ordinal);
        if (at < 0)
            return fields;
        var shape = fields[(fields.IndexOf("\"shape\": [", StringComparison.Ordinal) + 10)..fields.IndexOf(']', fields.IndexOf("\"shape\": [", StringComparison.Ordinal))];
        var count = shape.Split(',').Aggregate(1, (product, d) => product * int.Parse(d, System.Globalization.CultureInfo.InvariantCulture));
        return fields.Replace("\"data\": []", $"\"data\": [{string.Join(",", Enumerable.Repeat("0", count))}]", StringComparison.Ordinal);
    }
}
