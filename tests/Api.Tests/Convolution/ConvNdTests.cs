using System.Net;
using System.Text.Json;
using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Convolution;

/// <summary>spatialDims 1 and 3, the padding forms and transposed convolution over HTTP, with answers worked by hand.</summary>
[Collection(ApiCollection.Name)]
public class ConvNdTests(ApiFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    private Task<HttpResponseMessage> Post(string route, string json) => _client.PostAsync(route, Requests.Body(json));

    [Theory]
    [InlineData("""{"spatialDims": 1, "input": [1, 2, 3, 4, 5], "kernel": [1, 0, -1]}""", """{"output":[-2,-2,-2]}""")]
    [InlineData("""{"spatialDims": 1, "input": [1, 2, 3, 4, 5], "kernel": [1, 0, -1], "padding": [[1, 0]]}""", """{"output":[-2,-2,-2,-2]}""")]
    [InlineData("""{"spatialDims": 1, "input": [1, 2, 3, 4], "kernel": [1, 0, -1], "stride": 2, "padding": "same-upper"}""", """{"output":[-2,3]}""")]
    [InlineData("""{"spatialDims": 1, "input": [1, 2, 3, 4], "kernel": [1, 0, -1], "stride": [2], "padding": "same-lower"}""", """{"output":[-2,-2]}""")]
    [InlineData("""{"spatialDims": 1, "input": [[1, 2, 3]], "kernel": [[[1, 1]], [[2, 0]]], "padding": [[0, 1]], "paddingMode": "circular"}""", """{"output":[[3,5,4],[2,4,6]]}""")]
    [InlineData("""{"spatialDims": 3, "input": [[[1, 2], [3, 4]], [[5, 6], [7, 8]]], "kernel": [[[1, 1], [1, 1]], [[1, 1], [1, 1]]], "bias": [0.5]}""", """{"output":[[[36.5]]]}""")]
    [InlineData("""{"spatialDims": 3, "input": {"shape": [1, 1, 1, 1, 3], "data": [1, 2, 3]}, "kernel": {"shape": [1, 1, 1, 1, 2], "data": [1, 10]}}""", """{"output":{"shape":[1,1,1,1,2],"data":[21,32]}}""")]
    [InlineData("""{"input": [[1, 2], [3, 4]], "kernel": [[1]], "padding": [[1, 0], 0], "paddingMode": "replicate"}""", """{"output":[[1,2],[1,2],[3,4]]}""")]
    public async Task PostingOtherDimensionalitiesAndPaddingFormsReturnsTheWorkedAnswer(string body, string expected)
    {
        using var response = await Post(Routes.ConvForward, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PostingA1dBackwardReturnsGradientsOfEachShape()
    {
        using var response = await Post(Routes.ConvBackward, """{"spatialDims": 1, "input": [[1, 2, 3, 4]], "kernel": [[[1, -1]]], "bias": [0], "stride": 2}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"gradInput":[[1,-1,1,-1]],"gradKernel":[[[4,6]]],"gradBias":[2]}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(Routes.ConvTranspose, """{"spatialDims": 1, "input": [1, 2], "kernel": [1, 1, 1], "stride": 2}""", """{"output":[1,1,3,2,2]}""")]
    [InlineData(Routes.ConvTranspose, """{"spatialDims": 1, "input": [1, 2], "kernel": [1, 1, 1], "stride": 2, "outputPadding": 1, "bias": [10]}""", """{"output":[11,11,13,12,12,10]}""")]
    [InlineData(Routes.ConvTranspose, """{"spatialDims": 1, "input": [1, 2], "kernel": [1, 1, 1], "stride": 2, "padding": 1, "outputSize": 4}""", """{"output":[1,3,2,2]}""")]
    [InlineData(Routes.ConvTranspose, """{"input": [[1, 2], [3, 4]], "kernel": [[1, 0], [0, 1]], "stride": 2}""", """{"output":[[1,0,2,0],[0,1,0,2],[3,0,4,0],[0,3,0,4]]}""")]
    [InlineData(Routes.ConvTransposeBackward, """{"spatialDims": 1, "input": [1, 2], "kernel": [1, 2, 3], "stride": 2, "gradOutput": [1, 0, 0, 0, 1]}""", """{"gradInput":[1,3],"gradKernel":[1,0,2]}""")]
    public async Task PostingTransposedConvolutionReturnsTheWorkedAnswer(string route, string body, string expected)
    {
        using var response = await Post(route, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Each rule of the contract, broken alone: a 400 naming the field, with the numbers.</summary>
    [Theory]
    [InlineData(Routes.ConvForward, """{"spatialDims": 4, "input": [1], "kernel": [1]}""", "spatialDims", "spatialDims must be 1 (L), 2 (H, W) or 3 (D, H, W); got 4")]
    [InlineData(Routes.ConvForward, """{"spatialDims": "1", "input": [1], "kernel": [1]}""", "spatialDims", "expected an integer")]
    [InlineData(Routes.ConvForward, """{"input": [[[1, 2, 3]]], "kernel": [[[1]]]}""", "kernel", "input has rank 3 and kernel rank 3: for a 1-D batched convolution send spatialDims 1")]
    [InlineData(Routes.ConvForward, """{"input": [[[[[1]]]]], "kernel": [[[[[1]]]]]}""", "input", "got rank 5 (1×1×1×1×1): for a 3-D batched convolution send spatialDims 3")]
    [InlineData(Routes.ConvForward, """{"spatialDims": 1, "input": [1, 2, 3], "kernel": [1], "stride": [1, 2]}""", "stride", "stride has 2 entries but spatialDims 1 needs one integer or 1 (L): for a 2-D call send spatialDims 2")]
    [InlineData(Routes.ConvForward, """{"spatialDims": 3, "input": [[[1]]], "kernel": [[[1]]], "dilation": [1, 1]}""", "dilation", "dilation has 2 entries but spatialDims 3 needs one integer or 3 (D, H, W)")]
    [InlineData(Routes.ConvForward, """{"spatialDims": 1, "input": [1, 2, 3], "kernel": [1], "padding": [1, 2]}""", "padding", "a [begin, end] pair in 1-D is written [[1, 2]]")]
    [InlineData(Routes.ConvForward, """{"spatialDims": 1, "input": [1, 2, 3], "kernel": [1], "padding": [[1, 2, 3]]}""", "padding", "padding entry 0 is a [begin, end] pair of 2 integers; it has more")]
    [InlineData(Routes.ConvForward, """{"spatialDims": 1, "input": [1, 2, 3], "kernel": [1], "padding": [[-1, 0]]}""", "padding", "padding must be ≥ 0; got [-1, 0]")]
    [InlineData(Routes.ConvForward, """{"spatialDims": 1, "input": [1, 2, 3], "kernel": [1], "padding": "same", "stride": 2}""", "padding", "padding \"same\" needs stride 1, as in PyTorch; got stride 2: for SAME padding at any stride send \"same-upper\" or \"same-lower\"")]
    [InlineData(Routes.ConvForward, """{"spatialDims": 1, "input": [1, 2, 3], "kernel": [1], "padding": [[0, 3]], "paddingMode": "reflect"}""", "padding", "reflect padding 3 must be smaller than the input length 3")]
    [InlineData(Routes.ConvForward, """{"spatialDims": 3, "input": [[[1, 2], [3, 4]]], "kernel": [[[1, 1], [1, 1]], [[1, 1], [1, 1]]]}""", "kernel", "kernel 2×2×2 is larger than the padded input 1×2×2")]
    [InlineData(Routes.ConvForward, """{"spatialDims": 3, "input": [[[1]]], "kernel": [[[1]]], "stride": [0, 1, 1]}""", "stride", "stride must be ≥ 1; got 0×1×1")]
    [InlineData(Routes.ConvBackward, """{"spatialDims": 1, "input": [1, 2, 3], "kernel": [1, 1], "gradOutput": [1, 1, 1]}""", "gradOutput", "gradOutput has shape 3 but the forward output has shape 2")]
    [InlineData(Routes.ConvTranspose, """{"spatialDims": 1, "input": [1, 2], "kernel": [1, 1], "stride": 2, "outputPadding": 2}""", "outputPadding", "outputPadding 2 of the length must be smaller than its stride 2 or its dilation 1")]
    [InlineData(Routes.ConvTranspose, """{"input": [[1, 2], [3, 4]], "kernel": [[1, 1], [1, 1]], "stride": 2, "outputSize": [6, 4]}""", "outputSize", "outputSize 6 of the height is outside [4, 5]")]
    [InlineData(Routes.ConvTranspose, """{"input": [[1]], "kernel": [[1]], "outputSize": 1, "outputPadding": 0}""", "outputSize", "send outputSize or outputPadding, not both")]
    [InlineData(Routes.ConvTranspose, """{"input": [[1]], "kernel": [[1]], "padding": "same"}""", "padding", "a transposed convolution's padding is one integer or a list of d integers, taken off both ends as PyTorch's conv_transpose does; got \"same\"")]
    [InlineData(Routes.ConvTranspose, """{"spatialDims": 1, "input": [1], "kernel": [1], "padding": [[0, 1]]}""", "padding", "a transposed convolution's padding is one integer or a list of d integers")]
    [InlineData(Routes.ConvTranspose, """{"input": [[1]], "kernel": [[1]], "paddingMode": "reflect"}""", "paddingMode", "\"paddingMode\" is not a field of this request")]
    [InlineData(Routes.ConvTranspose, """{"input": [[1, 2]], "kernel": [[1]], "padding": 1}""", "padding", "the output height (1 − 1)·1 − 2·1 + 1·(1 − 1) + 1 = -1 is less than 1")]
    [InlineData(Routes.ConvTranspose, """{"spatialDims": 1, "input": [[1, 2], [3, 4]], "kernel": [[[1]]]}""", "kernel", "kernel has 1 input channels (dimension 0), but the input has 2 channels")]
    [InlineData(Routes.ConvTransposeBackward, """{"spatialDims": 1, "input": [1, 2], "kernel": [1, 1], "gradOutput": [1, 1]}""", "gradOutput", "gradOutput has shape 2 but the forward output has shape 3")]
    public async Task PostingARuleBrokenAloneNamesTheFieldAndTheNumbers(string route, string body, string field, string fragment)
    {
        using var response = await Post(route, body);

        await ProblemAssert.NamesField(response, field, fragment);
    }

    [Fact]
    public async Task PostingFieldAndShapeProblemsTogetherReportsThemAllAtOnce()
    {
        using var response = await Post(Routes.ConvTranspose, """{"spatialDims": 1, "input": [1, 2], "kernel": [1, 1], "stride": 0, "colour": "red"}""");

        await ProblemAssert.NamesField(response, "stride", "stride must be ≥ 1; got 0");
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("colour", out _), errors.ToString());
    }
}
