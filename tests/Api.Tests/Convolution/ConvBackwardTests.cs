using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Convolution;

[Collection(ApiCollection.Name)]
public class ConvBackwardTests(ApiFactory factory)
{
    private const string SeedGradInput = "[[4,7,10,6,3],[9,17,25,16,8],[11,23,34,23,11],[7,16,24,17,8],[2,6,9,7,3]]";
    private const string SeedGradKernel = "[[30,24,19],[29,21,21],[30,19,21]]";

    private readonly HttpClient _client = factory.CreateClient();

    private Task<HttpResponseMessage> Post(string json) => _client.PostAsync(Routes.ConvBackward, Requests.Body(json));

    [Fact]
    public async Task PostingTheSeedAsNestedArraysReturnsItsGradientsNested()
    {
        using var response = await Post($$"""{"input": {{Requests.SeedImage}}, "kernel": {{Requests.SeedKernel}}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($$"""{"gradInput":{{SeedGradInput}},"gradKernel":{{SeedGradKernel}}}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PostingTheSeedFlatWithBiasReturnsEveryGradientFlat()
    {
        using var response = await Post($$$"""{"input": {{{Requests.SeedImageFlat}}}, "kernel": {{{Requests.SeedKernelFlat}}}, "bias": [0.5], "gradOutput": {"shape": [1,1,3,3], "data": [1,1,1,1,1,1,1,1,1]}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            """{"gradInput":{"shape":[1,1,5,5],"data":[4,7,10,6,3,9,17,25,16,8,11,23,34,23,11,7,16,24,17,8,2,6,9,7,3]},"gradKernel":{"shape":[1,1,3,3],"data":[30,24,19,29,21,21,30,19,21]},"gradBias":{"shape":[1],"data":[9]}}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PostingAGradOutputScalesTheGradientsAndSumsItIntoGradBias()
    {
        using var response = await Post($$"""{"input": {{Requests.SeedImage}}, "kernel": {{Requests.SeedKernel}}, "bias": [7], "gradOutput": [[2,2,2],[2,2,2],[2,2,2]], "dtype": "float32"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var gradInput = WireTensor.Parse(body.RootElement.GetProperty("gradInput"));
        var expected = WireTensor.Parse(JsonDocument.Parse(SeedGradInput).RootElement);
        gradInput.AssertClose(expected with { Data = [.. expected.Data.Select(v => 2 * v)] }, "gradInput");
        Assert.Equal(18, body.RootElement.GetProperty("gradBias")[0].GetDouble());
    }

    [Fact]
    public async Task PostingWithoutBiasOmitsGradBias()
    {
        using var response = await Post("""{"input": [[[1, 2], [3, 4]]], "kernel": [[[[1]]], [[[2]]]]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(body.RootElement.TryGetProperty("gradBias", out _), body.RootElement.ToString());
        Assert.Equal("[[[3,3],[3,3]]]", body.RootElement.GetProperty("gradInput").GetRawText());
        Assert.Equal("[[[[10]]],[[[10]]]]", body.RootElement.GetProperty("gradKernel").GetRawText());
    }

    [Theory]
    [InlineData("[[1,1,1],[1,1,1]]", "gradOutput has shape 2×3 but the forward output has shape 3×3")]
    [InlineData("[[[1,1,1],[1,1,1],[1,1,1]]]", "gradOutput has shape 1×3×3 but the forward output has shape 3×3")]
    [InlineData("""{"shape": [9], "data": [1,1,1,1,1,1,1,1,1]}""", "gradOutput has shape 9 but the forward output has shape 3×3")]
    public async Task PostingGradOutputOfAnotherShapeReturnsProblemWithBothShapes(string gradOutput, string message)
    {
        using var response = await Post($$"""{"input": {{Requests.SeedImage}}, "kernel": {{Requests.SeedKernel}}, "gradOutput": {{gradOutput}}}""");

        await ProblemAssert.NamesField(response, "gradOutput", message);
    }

    [Theory]
    [InlineData("\"ones\"", "expected a tensor")]
    [InlineData("5", "expected a tensor")]
    [InlineData("[[1, true, 1]]", "[0][1] is a boolean")]
    [InlineData("[[1, 1], [1]]", "[1] has 1 entries where the first array at that depth has 2")]
    [InlineData("[[1e39, 1, 1], [1, 1, 1], [1, 1, 1]]", "overflows float32")]
    public async Task PostingGradOutputOfTheWrongTypeReturnsProblemNamingGradOutput(string gradOutput, string fragment)
    {
        using var response = await Post($$"""{"input": {{Requests.SeedImage}}, "kernel": {{Requests.SeedKernel}}, "gradOutput": {{gradOutput}}, "dtype": "float32"}""");

        await ProblemAssert.NamesField(response, "gradOutput", fragment);
    }

    [Fact]
    public async Task PostingForwardProblemsReportsThemAndNotTheGradOutputShape()
    {
        using var response = await Post("""{"input": [[1, 2], [3, 4]], "kernel": [[1, 1, 1]], "gradOutput": [[1]]}""");

        await ProblemAssert.NamesField(response, "kernel", "kernel 1×3 is larger than the padded input 2×2");
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.False(errors.TryGetProperty("gradOutput", out _), errors.ToString());
    }

    [Fact]
    public async Task SwaggerShowsTheSeedsBackwardExample()
    {
        using var document = JsonDocument.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"));

        var example = document.RootElement.GetProperty("paths").GetProperty(Routes.ConvBackward).GetProperty("post")
            .GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("examples").GetProperty("seed").GetProperty("value");
        var seed = JsonNode.Parse($$"""{"input": {{Requests.SeedImage}}, "kernel": {{Requests.SeedKernel}}, "gradOutput": [[1,1,1],[1,1,1],[1,1,1]]}""");
        Assert.True(JsonNode.DeepEquals(seed, JsonNode.Parse(example.GetRawText())), example.GetRawText());
    }
}
