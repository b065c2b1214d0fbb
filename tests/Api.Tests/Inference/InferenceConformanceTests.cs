using System.Net;
using System.Text.Json;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Inference;

/// <summary>
/// Every conformance case PyTorch computed (the seed's, the float64 cases and the float32 cases), translated into the
/// inference protocol and posted to /v2/models/{model}/infer, once with JSON data and once in binary as tritonclient
/// sends it; the outputs must match PyTorch as on the JSON routes (float32 within 1e-5 relative, indices exactly).
/// </summary>
[Collection(ApiCollection.Name)]
public class InferenceConformanceTests(ApiFactory factory)
{
    /// <summary>Every convolution case (1-D, 2-D, 3-D, transposed) and every pooling case (1-D, 2-D, 3-D).</summary>
    public static TheoryData<ConformanceCase> Cases
    {
        get
        {
            var cases = ConformanceCase.Where("/conv", "seed.jsonl", "cases.jsonl", "float32.jsonl", "nd.jsonl");
            foreach (var poolCase in ConformanceCase.Where("/pool", "seed.jsonl", "cases.jsonl", "float32.jsonl", "nd.jsonl"))
                cases.Add(poolCase);
            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public Task CaseInJsonMatchesPyTorch(ConformanceCase testCase) => AssertMatches(testCase, binary: false);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task CaseInBinaryMatchesPyTorch(ConformanceCase testCase) => AssertMatches(testCase, binary: true);

    private async Task AssertMatches(ConformanceCase testCase, bool binary)
    {
        using var document = testCase.Parse();
        var root = document.RootElement;
        var call = ProtocolCall.From(testCase.Endpoint, root.GetProperty("request"));
        using var content = binary ? InferenceWire.Binary(call.Inputs, call.Parameters) : InferenceWire.Json(call.Inputs, call.Parameters);

        using var response = await factory.CreateClient().PostAsync($"/v2/models/{call.Model}/infer", content);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{testCase}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var (_, outputs) = await InferenceWire.ReadAsync(response);
        var tolerance = call.Single ? 1e-5 : 1e-9;
        foreach (var expected in root.GetProperty("expected").EnumerateObject())
        {
            var name = ProtocolCall.OutputName(expected.Name);
            Assert.True(outputs.TryGetValue(name, out var actual), $"{testCase}: no output {name}");
            var want = WireTensor.Parse(expected.Value);
            actual.AsWire().AssertClose(want with { Flat = true }, $"{testCase} {name} ({(binary ? "binary" : "JSON")})", name == "indices" ? 0 : tolerance);
            if (name == "indices")
                Assert.Equal("INT64", actual.Datatype);
        }
    }
}

/// <summary>A JSON-route request as the inference protocol spells it: model, named inputs, snake_case parameters.</summary>
public sealed record ProtocolCall(string Model, List<InferenceTensor> Inputs, List<KeyValuePair<string, object>> Parameters, bool Single)
{
    private static readonly Dictionary<string, string> TensorNames = new()
    {
        ["input"] = "input", ["kernel"] = "weight", ["bias"] = "bias", ["gradOutput"] = "grad_output", ["randomSamples"] = "random_samples",
    };

    public static string OutputName(string field) => field switch
    {
        "gradKernel" => "grad_weight",
        _ => JsonNamingPolicy.SnakeCaseLower.ConvertName(field),
    };

    /// <summary>"/pool/adaptive-max/backward" → "adaptive_max_pool2d_backward"; "/conv/transpose" with spatialDims 3 → "conv_transpose3d".</summary>
    public static string ModelOf(string endpoint, int dims)
    {
        var parts = endpoint.Trim('/').Split('/');
        var backward = parts[^1] == "backward";
        var model = parts[0] == "conv" ? parts[1] == "transpose" ? $"conv_transpose{dims}d" : $"conv{dims}d" : $"{parts[1].Replace('-', '_')}_pool{dims}d";
        return backward ? $"{model}_backward" : model;
    }

    public static ProtocolCall From(string endpoint, JsonElement request)
    {
        var single = request.TryGetProperty("dtype", out var dtype) && dtype.GetString() == "float32";
        var dims = request.TryGetProperty("spatialDims", out var spatialDims) ? spatialDims.GetInt32() : 2;
        var (inputs, parameters) = (new List<InferenceTensor>(), new List<KeyValuePair<string, object>>());
        foreach (var field in request.EnumerateObject())
        {
            if (TensorNames.TryGetValue(field.Name, out var name))
            {
                var tensor = WireTensor.Parse(field.Value);
                inputs.Add(new InferenceTensor(name, single ? "FP32" : "FP64", [.. tensor.Shape.Select(d => (long)d)], tensor.Data));
            }
            else if (field.Name is not ("dtype" or "spatialDims"))
            {
                object value = field.Value.ValueKind switch
                {
                    JsonValueKind.Array => field.Value.GetRawText().Replace(" ", ""),
                    JsonValueKind.String => field.Value.GetString()!,
                    JsonValueKind.True or JsonValueKind.False => field.Value.GetBoolean(),
                    _ => field.Value.GetDouble() % 1 == 0 ? field.Value.GetInt64() : field.Value.GetDouble(),
                };
                parameters.Add(new(JsonNamingPolicy.SnakeCaseLower.ConvertName(field.Name), value));
            }
        }
        return new ProtocolCall(ModelOf(endpoint, dims), inputs, parameters, single);
    }
}
