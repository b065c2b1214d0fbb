using System.IO.Compression;
using System.Net;
using System.Text;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Inference;

/// <summary>Each bad inference request gets a 400 {"error"} naming the input and the numbers, before anything is allocated.</summary>
[Collection(ApiCollection.Name)]
public class InferenceBadInputTests(ApiFactory factory)
{
    private static readonly double[] Nine = [4, 3, 3, 5, 5, 5, 2, 4, 3];

    private static InferenceTensor Input(string datatype = "FP32") => new("input", datatype, [5, 5], [.. Enumerable.Range(0, 25).Select(i => (double)i)]);

    private static InferenceTensor Weight(string datatype = "FP32") => new("weight", datatype, [3, 3], Nine);

    private Task<HttpResponseMessage> Post(HttpContent content, string model = "conv2d") => factory.CreateClient().PostAsync($"/v2/models/{model}/infer", content);

    /// <summary>A binary body with its header as given (sizes may lie) and the tensors' real bytes after it.</summary>
    private static ByteArrayContent Raw(string header, byte[] tail, long? headerLength = null)
    {
        var content = new ByteArrayContent([.. Encoding.UTF8.GetBytes(header), .. tail]);
        content.Headers.Add(InferenceWire.HeaderLength, (headerLength ?? Encoding.UTF8.GetByteCount(header)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return content;
    }

    private static string Header(int inputBytes = 100, int weightBytes = 36, string weightName = "weight", string weightType = "FP32") =>
        $$$"""{"inputs":[{"name":"input","shape":[5,5],"datatype":"FP32","parameters":{"binary_data_size":{{{inputBytes}}}}},{"name":"{{{weightName}}}","shape":[3,3],"datatype":"{{{weightType}}}","parameters":{"binary_data_size":{{{weightBytes}}}}}]}""";

    private static byte[] Tail => [.. InferenceWire.Bytes(Input()), .. InferenceWire.Bytes(Weight())];

    [Fact]
    public async Task ABinarySizeThatDoesNotMatchTheShapeNamesTheInputAndTheBytes()
    {
        using var response = await Post(Raw(Header(weightBytes: 40), [.. Tail, 0, 0, 0, 0]));

        await InferenceErrorAssert.Is(response, HttpStatusCode.BadRequest, "input \"weight\"", "binary_data_size 40", "[3,3]", "9 × 4 = 36 bytes");
    }

    [Fact]
    public async Task AHeaderLengthPastTheBodyIsRefused()
    {
        using var response = await Post(Raw(Header(), Tail, headerLength: 5000));

        await InferenceErrorAssert.Is(response, HttpStatusCode.BadRequest, "Inference-Header-Content-Length 5000 is past the end of the", "-byte body");
    }

    [Fact]
    public async Task ATruncatedBodyNamesWhatIsMissing()
    {
        using var response = await Post(Raw(Header(), Tail[..^10]));

        await InferenceErrorAssert.Is(response, HttpStatusCode.BadRequest, "truncated", "input \"weight\" 36", "need");
    }

    [Fact]
    public async Task ATruncatedChunkedBodyIsFoundWhileReading()
    {
        var body = await Raw(Header(), Tail[..^10]).ReadAsByteArrayAsync();
        using var content = new StreamContent(new MemoryStream(body));
        content.Headers.Add(InferenceWire.HeaderLength, Encoding.UTF8.GetByteCount(Header()).ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/models/conv2d/infer") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await factory.CreateClient().SendAsync(request);

        await InferenceErrorAssert.Is(response, HttpStatusCode.BadRequest, "truncated", "26 bytes into input \"weight\"'s 36");
    }

    /// <summary>A header whose second input is malformed: each message names that input as far as the header had named it.</summary>
    [Theory]
    [InlineData("""7""", "inputs[1] must be an object")]
    [InlineData("""{"name":"weight","shape":"3x3"}""", "input \"weight\": shape must be an array of integers ≥ 0")]
    [InlineData("""{"shape":[3,-3],"name":"weight"}""", "inputs[1]: shape entry 1 is not an integer ≥ 0")]
    [InlineData("""{"name":"weight","shape":[1,1,1,1,1,1,1,1,3]}""", "input \"weight\": shape has more than 8 dimensions")]
    [InlineData("""{"name":"weight","parameters":[36]}""", "input \"weight\": parameters must be an object")]
    [InlineData("""{"name":"weight","parameters":{"binary_data_size":-36}}""", "input \"weight\": binary_data_size must be an integer ≥ 0")]
    [InlineData("""{"name":"weight","parameters":{"shared_memory_region":"w"}}""", "input \"weight\": shared_memory_region: shared memory is not supported")]
    [InlineData("""{"name":"weight","datatype":"FP32","shape":[3,3],"data":[1,2]}""", "input \"weight\": data holds 2 values but shape [3,3] needs 9")]
    public async Task AMalformedInputIsNamedInItsError(string weight, string fragment)
    {
        var header = $$$"""{"inputs":[{"name":"input","shape":[5,5],"datatype":"FP32","parameters":{"binary_data_size":100}},{{{weight}}}]}""";

        using var response = await Post(Raw(header, [.. InferenceWire.Bytes(Input())]));

        await InferenceErrorAssert.Is(response, HttpStatusCode.BadRequest, fragment);
    }

    /// <summary>The same for the outputs a header asks for.</summary>
    [Theory]
    [InlineData("""["output"]""", "outputs[0] must be an object")]
    [InlineData("""[{"name":"output","parameters":true}]""", "outputs[0].parameters must be an object")]
    [InlineData("""[{"name":"output","parameters":{"binary_data":1}}]""", "outputs[0]: binary_data must be true or false")]
    public async Task AMalformedOutputIsNamedInItsError(string outputs, string fragment)
    {
        var header = $$$"""{"inputs":[{"name":"input","shape":[5,5],"datatype":"FP32","parameters":{"binary_data_size":100}},{"name":"weight","shape":[3,3],"datatype":"FP32","parameters":{"binary_data_size":36}}],"outputs":{{{outputs}}}}""";

        using var response = await Post(Raw(header, Tail));

        await InferenceErrorAssert.Is(response, HttpStatusCode.BadRequest, fragment);
    }

    [Theory]
    [InlineData("kernel", "conv2d has no input \"kernel\"; its inputs are input (required), weight (required), bias")]
    public async Task AnUnknownInputNameListsTheModelsInputs(string name, string fragment)
    {
        using var response = await Post(Raw(Header(weightName: name), Tail));

        await InferenceErrorAssert.Is(response, HttpStatusCode.BadRequest, fragment);
    }

    [Fact]
    public async Task AMissingInputIsNamed()
    {
        using var response = await Post(InferenceWire.Binary([Input()]));

        await InferenceErrorAssert.Is(response, HttpStatusCode.BadRequest, "conv2d needs input \"weight\"");
    }

    [Fact]
    public async Task MixedDatatypesAreRefused()
    {
        using var response = await Post(InferenceWire.Binary([Input("FP32"), Weight("FP64")]));

        await InferenceErrorAssert.Is(response, HttpStatusCode.BadRequest, "mix datatypes", "input FP32", "weight FP64");
    }

    [Fact]
    public async Task ADatatypeOtherThanFp32OrFp64IsRefused()
    {
        using var response = await Post(Raw(Header(weightType: "INT32"), Tail));

        await InferenceErrorAssert.Is(response, HttpStatusCode.BadRequest, "input \"weight\" has datatype INT32; the models compute in FP32 or FP64");
    }

    [Fact]
    public async Task AHugeDeclaredShapeIsRefusedWithoutAllocatingIt()
    {
        // 16384 × 16384 FP32 is 1 GiB; the body is a few hundred bytes.
        var header = """{"inputs":[{"name":"input","shape":[16384,16384],"datatype":"FP32","parameters":{"binary_data_size":1073741824}},{"name":"weight","shape":[3,3],"datatype":"FP32","parameters":{"binary_data_size":36}}]}""";
        var before = GC.GetTotalAllocatedBytes(precise: true);

        using var response = await Post(Raw(header, Tail));

        await InferenceErrorAssert.Is(response, HttpStatusCode.BadRequest, "shape [16384,16384] holds more than 16777216 elements");
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(allocated < 64 << 20, $"{allocated} bytes were allocated for a refused request");
    }

    [Fact]
    public async Task AGzipBombIsStoppedAtTheBodyLimitOnItsDecodedSize()
    {
        // A valid JSON request followed by 80 MiB of spaces packs into about 80 KB; the body limit is 64 MiB decoded.
        var json = await InferenceWire.Json([Input(), Weight()]).ReadAsByteArrayAsync();
        var packed = new MemoryStream();
        await using (var gzip = new GZipStream(packed, CompressionLevel.Optimal, leaveOpen: true))
        {
            await gzip.WriteAsync(json);
            var spaces = Enumerable.Repeat((byte)' ', 1 << 20).ToArray();
            for (var i = 0; i < 80; i++)
                await gzip.WriteAsync(spaces);
        }
        using var content = new ByteArrayContent(packed.ToArray());
        content.Headers.ContentEncoding.Add("gzip");
        Assert.True(content.Headers.ContentLength < 1 << 20);

        using var response = await Post(content);

        await InferenceErrorAssert.Is(response, HttpStatusCode.RequestEntityTooLarge, "the body decodes to more than the service's limit of 67108864 bytes");
    }

    [Fact]
    public async Task BinarySizesPastTheBodyLimitAreRefusedBeforeReadingThem()
    {
        // A 2048×4096 FP64 input is within the element limits but, with its header, over the 64 MiB body limit.
        var header = """{"inputs":[{"name":"input","shape":[2048,4096],"datatype":"FP64","parameters":{"binary_data_size":67108864}},{"name":"weight","shape":[3,3],"datatype":"FP64","parameters":{"binary_data_size":72}}]}""";
        var packed = new MemoryStream();
        await using (var gzip = new GZipStream(packed, CompressionLevel.Optimal, leaveOpen: true))
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(header));
        using var content = new ByteArrayContent(packed.ToArray());
        content.Headers.ContentEncoding.Add("gzip");
        content.Headers.Add(InferenceWire.HeaderLength, header.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));

        using var response = await Post(content);

        await InferenceErrorAssert.Is(response, HttpStatusCode.RequestEntityTooLarge, "input \"input\" 67108864", "need more than the service's limit of 67108864 bytes");
    }

    [Fact]
    public async Task AnUnknownContentEncodingIsUnsupported()
    {
        using var content = InferenceWire.Binary([Input(), Weight()]);
        content.Headers.ContentEncoding.Add("br");

        using var response = await Post(content);

        await InferenceErrorAssert.Is(response, HttpStatusCode.UnsupportedMediaType, "Content-Encoding \"br\" is not supported");
    }

    [Theory]
    [InlineData("padding_mode", "mirror", "parameter padding_mode: expected one of \"zeros\", \"reflect\", \"replicate\", \"circular\"; got \"mirror\"")]
    [InlineData("stride", "[2,", "parameter stride = \"[2,\" is not a JSON array")]
    [InlineData("strides", "2", "conv2d takes no parameter \"strides\"; its parameters are stride, padding, dilation, groups, padding_mode")]
    [InlineData("dilation", "[3,3]", "weight: kernel 3×3 dilated to 7×7 is larger than the padded input 5×5")]
    public async Task ABadParameterIsNamedWithTheNumbers(string name, string value, string fragment)
    {
        using var response = await Post(InferenceWire.Binary([Input(), Weight()], [new(name, value)]));

        await InferenceErrorAssert.Is(response, HttpStatusCode.BadRequest, fragment);
    }

    [Fact]
    public async Task JsonDataThatDoesNotFillItsShapeIsRefused()
    {
        using var response = await Post(InferenceWire.Json([Input(), Weight() with { Shape = [3, 4] }]));

        await InferenceErrorAssert.Is(response, HttpStatusCode.BadRequest, "input \"weight\": data holds 9 values but shape [3,4] needs 12");
    }

    [Fact]
    public async Task TrailingBytesAfterTheLastInputAreRefused()
    {
        using var response = await Post(Raw(Header(), [.. Tail, 1, 2, 3]));

        await InferenceErrorAssert.Is(response, HttpStatusCode.BadRequest, "3 bytes after its", "binary inputs");
    }
}
