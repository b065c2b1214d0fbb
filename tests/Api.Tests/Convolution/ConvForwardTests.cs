using System.Net;
using System.Text.Json;
using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Convolution;

[Collection(ApiCollection.Name)]
public class ConvForwardTests(ApiFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    private Task<HttpResponseMessage> Post(string json) => _client.PostAsync(Routes.ConvForward, Requests.Body(json));

    [Fact]
    public async Task PostingTheSeedAsNestedArraysReturnsItsAnswerNested()
    {
        using var response = await Post($$"""{"input": {{Requests.SeedImage}}, "kernel": {{Requests.SeedKernel}}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"output":[[109,92,72],[108,85,74],[110,74,79]]}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PostingTheSeedFlatReturnsItsAnswerFlat()
    {
        using var response = await Post($$"""{"input": {{Requests.SeedImageFlat}}, "kernel": {{Requests.SeedKernelFlat}}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"output":{"shape":[1,1,3,3],"data":[109,92,72,108,85,74,110,74,79]}}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PostingFloat32WritesFloat32Digits()
    {
        using var response = await Post("""{"input": [[0.1, 0.2]], "kernel": [[1]], "dtype": "float32"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"output":[[0.1,0.2]]}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PostingNonFiniteStringsComputesWithThemAndWritesThemBack()
    {
        using var response = await Post("""{"input": [["NaN", "Infinity", 1]], "kernel": [[-1]]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"output":[["NaN","-Infinity",-1]]}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PostingMalformedJsonReturnsProblemNamingTheField()
    {
        using var response = await Post("""{"input": [[1, 2], """);

        await ProblemAssert.NamesField(response, "input", "not valid JSON");
    }

    [Fact]
    public async Task PostingAnEmptyBodyReturnsProblemNamingTheBody()
    {
        using var response = await _client.PostAsync(Routes.ConvForward, Requests.Body(""));

        await ProblemAssert.NamesField(response, "body", "required");
    }

    [Fact]
    public async Task PostingTextReturnsUnsupportedMediaTypeProblem()
    {
        using var response = await _client.PostAsync(Routes.ConvForward, new StringContent("input=1"));

        await ProblemAssert.IsProblem(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("""{"kernel": [[1]]}""", "input", "required")]
    [InlineData("""{"input": [[1]]}""", "kernel", "required")]
    [InlineData("""{"input": "abc", "kernel": [[1]]}""", "input", "expected a tensor")]
    [InlineData("""{"input": [[1, true]], "kernel": [[1]]}""", "input", "[0][1] is a boolean")]
    [InlineData("""{"input": [[1, "x"]], "kernel": [[1]]}""", "input", "[0][1] is the string \"x\"")]
    [InlineData("""{"input": [[1, 1e400]], "kernel": [[1]]}""", "input", "[0][1] = 1e400 overflows to infinity")]
    [InlineData("""{"input": [[1]], "kernel": [[1]], "groups": "2"}""", "groups", "expected an integer")]
    [InlineData("""{"input": [[1]], "kernel": [[1]], "stride": [1, 2, 3]}""", "stride", "stride has 3 entries but spatialDims 2 needs one integer or 2 (H, W): for a 3-D call send spatialDims 3")]
    [InlineData("""{"input": [[1]], "kernel": [[1]], "padding": "full"}""", "padding", "\"valid\", \"same\", \"same-upper\" or \"same-lower\"; got \"full\"")]
    [InlineData("""{"input": [[1]], "kernel": [[1]], "paddingMode": "mirror"}""", "paddingMode", "\"zeros\", \"reflect\", \"replicate\", \"circular\"")]
    [InlineData("""{"input": [[1]], "kernel": [[1]], "dtype": "float16"}""", "dtype", "\"float64\", \"float32\"")]
    [InlineData("""{"input": [[1]], "kernel": [[1]], "strides": 2}""", "strides", "not a field")]
    public async Task PostingWrongTypesReturnsProblemNamingTheField(string body, string field, string fragment)
    {
        using var response = await Post(body);

        await ProblemAssert.NamesField(response, field, fragment);
    }

    [Theory]
    [InlineData("[[1, 2], [3]]", "[1] has 1 entries where the first array at that depth has 2")]
    [InlineData("[[1, 2], 3]", "[1] is a number where an array was expected")]
    [InlineData("[[[1]], [2]]", "[1][0] is a number where an array was expected")]
    [InlineData("[[[[[[1]]]]]]", "deeper than rank 5")]
    [InlineData("""{"shape": [2, 2], "data": [1, 2, 3]}""", "shape 2×2 holds 4 elements but data has 3")]
    [InlineData("""{"shape": [2, 2]}""", "\"data\" is missing")]
    [InlineData("""{"shape": [-1], "data": []}""", "integers ≥ 0")]
    public async Task PostingRaggedOrInconsistentTensorsReturnsProblemNamingTheIndex(string input, string fragment)
    {
        using var response = await Post($$"""{"input": {{input}}, "kernel": [[1]]}""");

        await ProblemAssert.NamesField(response, "input", fragment);
    }

    [Theory]
    [InlineData("""{"input": [[1,2,3,4],[1,2,3,4],[1,2,3,4],[1,2,3,4]], "kernel": [[1,1,1],[1,1,1],[1,1,1]], "dilation": 2}""", "kernel", "kernel 3×3 dilated to 5×5 is larger than the padded input 4×4")]
    [InlineData("""{"input": [[1,2],[3,4]], "kernel": [[1,1,1],[1,1,1],[1,1,1]]}""", "kernel", "kernel 3×3 is larger than the padded input 2×2")]
    [InlineData("""{"input": [[1]], "kernel": [[1]], "stride": 0}""", "stride", "stride must be ≥ 1")]
    [InlineData("""{"input": [[1]], "kernel": [[1]], "stride": [1, -2]}""", "stride", "stride must be ≥ 1")]
    [InlineData("""{"input": [[1]], "kernel": [[1]], "dilation": 0}""", "dilation", "dilation must be ≥ 1")]
    [InlineData("""{"input": [[1]], "kernel": [[1]], "padding": -1}""", "padding", "padding must be ≥ 0")]
    [InlineData("""{"input": [[[1]],[[1]],[[1]]], "kernel": [[[[1]]],[[[1]]]], "groups": 2}""", "groups", "groups 2 does not divide the 3 input channels")]
    [InlineData("""{"input": [[[1]],[[1]]], "kernel": [[[[1]],[[1]]]], "groups": 0}""", "groups", "groups must be ≥ 1")]
    [InlineData("""{"input": [[1,2,3],[1,2,3],[1,2,3]], "kernel": [[1]], "padding": "same", "stride": 2}""", "padding", "padding \"same\" needs stride 1, as in PyTorch; got stride 2×2: for SAME padding at any stride send \"same-upper\"")]
    [InlineData("""{"input": [[1,2],[1,2]], "kernel": [[1]], "padding": 2, "paddingMode": "reflect"}""", "padding", "reflect padding 2 must be smaller than the input height 2")]
    [InlineData("""{"input": [[1,2],[1,2]], "kernel": [[1]], "padding": 3, "paddingMode": "circular"}""", "padding", "circular padding 3 must be at most the input height 2")]
    [InlineData("""{"input": [[[1]]], "kernel": [[[[1]]]], "bias": [1, 2]}""", "bias", "bias must be a rank-1 tensor of 1 values")]
    [InlineData("""{"input": [[1]], "kernel": [[[[1]]]]}""", "kernel", "kernel must have rank 2 (kH, kW) for a rank-2 input")]
    [InlineData("""{"input": [1, 2], "kernel": [[1]]}""", "input", "input must have rank 2 (H, W), 3 (C, H, W) or 4 (N, C, H, W) for spatialDims 2; got rank 1")]
    [InlineData("""{"input": [[1e39]], "kernel": [[1]], "dtype": "float32"}""", "input", "overflows float32")]
    public async Task PostingArgumentsThatBreakTheContractReturnsValidationProblemWithTheNumbers(string body, string field, string fragment)
    {
        using var response = await Post(body);

        await ProblemAssert.NamesField(response, field, fragment);
    }

    [Fact]
    public async Task PostingSeveralBadFieldsNamesEachOfThem()
    {
        using var response = await Post("""{"input": [[1]], "kernel": [[1]], "stride": 0, "dilation": 0, "colour": "red"}""");

        await ProblemAssert.NamesField(response, "stride", "≥ 1");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(problem.TryGetProperty("dilation", out _));
        Assert.True(problem.TryGetProperty("colour", out _));
    }
}
