using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Inference;

/// <summary>The protocol's routes, and requests as standard clients send them: tritonclient's bytes, gzip, deflate, JSON.</summary>
[Collection(ApiCollection.Name)]
public class InferenceProtocolTests(ApiFactory factory)
{
    private static readonly double[] SeedImage = [4, 5, 2, 2, 1, 3, 3, 2, 2, 4, 4, 3, 4, 1, 1, 5, 1, 4, 1, 2, 5, 1, 3, 1, 4];
    private static readonly double[] SeedKernel = [4, 3, 3, 5, 5, 5, 2, 4, 3];
    private static readonly double[] SeedAnswer = [109, 92, 72, 108, 85, 74, 110, 74, 79];

    private static List<InferenceTensor> Seed(string datatype) =>
        [new("input", datatype, [1, 1, 5, 5], SeedImage), new("weight", datatype, [1, 1, 3, 3], SeedKernel)];

    [Fact]
    public async Task ATritonclientRequestWithoutContentTypeGetsTheSeedAnswerInBinary()
    {
        // tritonclient.http: InferInput("input", [1,1,5,5], "FP32").set_data_from_numpy(...), no outputs named.
        var header = """{"inputs":[{"name":"input","shape":[1,1,5,5],"datatype":"FP32","parameters":{"binary_data_size":100}},{"name":"weight","shape":[1,1,3,3],"datatype":"FP32","parameters":{"binary_data_size":36}}],"parameters":{"binary_data_output":true}}""";
        byte[] body = [.. Encoding.UTF8.GetBytes(header), .. InferenceWire.Bytes(Seed("FP32")[0]), .. InferenceWire.Bytes(Seed("FP32")[1])];
        using var content = new ByteArrayContent(body);
        content.Headers.Add(InferenceWire.HeaderLength, header.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(content.Headers.ContentType);

        using var response = await factory.CreateClient().PostAsync("/v2/models/conv2d/infer", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        var (json, outputs) = await InferenceWire.ReadAsync(response);
        Assert.Equal("conv2d", json.GetProperty("model_name").GetString());
        Assert.Equal(36, json.GetProperty("outputs")[0].GetProperty("parameters").GetProperty("binary_data_size").GetInt32());
        Assert.Equal("FP32", outputs["output"].Datatype);
        Assert.Equal([1L, 1, 3, 3], outputs["output"].Shape);
        Assert.Equal(SeedAnswer, outputs["output"].Data);
    }

    [Theory]
    [InlineData("FP32")]
    [InlineData("FP64")]
    public async Task TheSeedInBothDatatypesIsExactAndAnswersInItsDatatype(string datatype)
    {
        using var response = await factory.CreateClient().PostAsync("/v2/models/conv2d/infer", InferenceWire.Binary(Seed(datatype)));

        var (_, outputs) = await InferenceWire.ReadAsync(response);
        Assert.Equal(datatype, outputs["output"].Datatype);
        Assert.Equal(SeedAnswer, outputs["output"].Data);
    }

    [Fact]
    public async Task TheSeedsGradientsComeBackNamedAsThePrototolNamesThem()
    {
        using var response = await factory.CreateClient().PostAsync("/v2/models/conv2d_backward/versions/1/infer", InferenceWire.Binary(Seed("FP64")));

        var (_, outputs) = await InferenceWire.ReadAsync(response);
        Assert.Equal([4, 7, 10, 6, 3, 9, 17, 25, 16, 8, 11, 23, 34, 23, 11, 7, 16, 24, 17, 8, 2, 6, 9, 7, 3], outputs["grad_input"].Data);
        Assert.Equal([30, 24, 19, 29, 21, 21, 30, 19, 21], outputs["grad_weight"].Data);
        Assert.False(outputs.ContainsKey("grad_bias"));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public async Task ACompressedBodyIsDecodedAsTritonclientCompressesIt(string encoding)
    {
        using var binary = InferenceWire.Binary(Seed("FP32"));
        var packed = new MemoryStream();
        await using (Stream compressor = encoding == "gzip" ? new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true) : new ZLibStream(packed, CompressionLevel.Fastest, leaveOpen: true))
            await compressor.WriteAsync(await binary.ReadAsByteArrayAsync());
        using var content = new ByteArrayContent(packed.ToArray());
        content.Headers.ContentEncoding.Add(encoding);
        content.Headers.Add(InferenceWire.HeaderLength, binary.Headers.GetValues(InferenceWire.HeaderLength));

        using var response = await factory.CreateClient().PostAsync("/v2/models/conv2d/infer", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SeedAnswer, (await InferenceWire.ReadAsync(response)).Outputs["output"].Data);
    }

    [Fact]
    public async Task NestedJsonDataWithParametersAnswersInJsonWithTheId()
    {
        const string body = """
            {"id": "homework-1", "inputs": [
              {"name": "input", "shape": [5, 5], "datatype": "FP64", "data": [[4,5,2,2,1],[3,3,2,2,4],[4,3,4,1,1],[5,1,4,1,2],[5,1,3,1,4]]},
              {"name": "weight", "shape": [3, 3], "datatype": "FP64", "data": [[4,3,3],[5,5,5],[2,4,3]]}],
             "parameters": {"padding": "[1,0]", "stride": 2}}
            """;

        using var response = await factory.CreateClient().PostAsync("/v2/models/conv2d/infer", Requests.Body(body));

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var (json, outputs) = await InferenceWire.ReadAsync(response);
        Assert.Equal("homework-1", json.GetProperty("id").GetString());
        Assert.Equal([3L, 2], outputs["output"].Shape);
        Assert.Equal([79, 49, 108, 74, 80, 65], outputs["output"].Data);
    }

    [Fact]
    public async Task AnOutputsBinaryDataOverridesTheRequestsChoice()
    {
        var outputs = """[{"name":"indices","parameters":{"binary_data":true}},{"name":"output"}]""";
        List<InferenceTensor> input = [new("input", "FP32", [3, 3], SeedAnswer)];
        using var content = InferenceWire.Json(input, [new("kernel_size", 2), new("stride", 1), new("return_indices", true)], outputs);

        using var response = await factory.CreateClient().PostAsync("/v2/models/max_pool2d/infer", content);

        var (json, read) = await InferenceWire.ReadAsync(response);
        Assert.Equal(["indices", "output"], json.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
        Assert.Equal("INT64", read["indices"].Datatype);
        Assert.Equal([0, 1, 6, 4], read["indices"].Data);
        Assert.True(json.GetProperty("outputs")[1].TryGetProperty("data", out _));
        Assert.Equal([109, 92, 110, 85], read["output"].Data);
    }

    [Fact]
    public async Task ServerAndModelMetadataDescribeTheModels()
    {
        var client = factory.CreateClient();

        using var server = JsonDocument.Parse(await client.GetStringAsync("/v2"));
        using var model = JsonDocument.Parse(await client.GetStringAsync("/v2/models/fractional_max_pool2d"));
        using var live = await client.GetAsync("/v2/health/live");
        using var ready = await client.GetAsync("/v2/health/ready");
        using var modelReady = JsonDocument.Parse(await client.GetStringAsync("/v2/models/conv2d_backward/versions/1/ready"));

        Assert.Contains("binary_tensor_data", server.RootElement.GetProperty("extensions").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["input", "random_samples"], model.RootElement.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        Assert.Equal("[-1,-1,2]", model.RootElement.GetProperty("inputs")[1].GetProperty("shape").GetRawText());
        Assert.Equal(["output", "indices", "random_samples"], model.RootElement.GetProperty("outputs").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        Assert.Equal("INT64", model.RootElement.GetProperty("outputs")[1].GetProperty("datatype").GetString());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.True(modelReady.RootElement.GetProperty("ready").GetBoolean());
    }

    [Theory]
    [InlineData("/v2/models/conv4d")]
    [InlineData("/v2/models/conv4d/ready")]
    [InlineData("/v2/models/conv2d/versions/2")]
    public async Task AnUnknownModelOrVersionIsNotFoundAndListsTheModels(string path)
    {
        using var response = await factory.CreateClient().GetAsync(path);

        var error = await InferenceErrorAssert.Is(response, HttpStatusCode.NotFound);
        Assert.Contains(path.Contains("versions") ? "only version is 1" : "conv1d, conv1d_backward, conv2d, conv2d_backward, conv3d, conv3d_backward, conv_transpose1d", error);
        Assert.Contains(path.Contains("versions") ? "conv2d" : "conv_transpose3d_backward, max_pool1d, max_pool1d_backward, avg_pool1d", error);
    }

    [Fact]
    public async Task InferringAnUnknownModelIsNotFoundAndListsTheModels()
    {
        using var response = await factory.CreateClient().PostAsync("/v2/models/resnet50/infer", InferenceWire.Binary(Seed("FP32")));

        var error = await InferenceErrorAssert.Is(response, HttpStatusCode.NotFound);
        Assert.Contains("no model \"resnet50\"; the models are conv1d, conv1d_backward, conv2d", error);
    }

    [Fact]
    public async Task MetricsCountRequestsPerModel()
    {
        var client = factory.CreateClient();
        (await client.PostAsync("/v2/models/avg_pool2d/infer", InferenceWire.Binary([new("input", "FP64", [3, 3], SeedAnswer)], [new("kernel_size", 2)]))).Dispose();
        (await client.PostAsync("/v2/models/avg_pool2d/infer", InferenceWire.Binary([new("input", "FP64", [3, 3], SeedAnswer)], [new("kernel_size", 9)]))).Dispose();

        string[] counted =
        [
            "convservice_inference_requests_total\\{[^}]*model=\"avg_pool2d\"[^}]*status=\"200\"[^}]*\\} [1-9]",
            "convservice_inference_requests_total\\{[^}]*model=\"avg_pool2d\"[^}]*status=\"400\"[^}]*\\} [1-9]",
        ];
        var metrics = await MetricsScrape.UntilMatchesAsync(client, counted);

        Assert.Matches(counted[0], metrics);
        Assert.Matches(counted[1], metrics);
    }
}
