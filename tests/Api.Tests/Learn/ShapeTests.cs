using System.Net;
using System.Text.Json;
using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Learn;

/// <summary>POST /shape: the seed's part (a), the ResNet stem, the rules per layer, and random stacks against the routes' real output shapes.</summary>
[Collection(ApiCollection.Name)]
public class ShapeTests(ApiFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task TheSeedsPartAIsThreeByThreeWithItsFormula()
    {
        var answer = await _client.Ok(Routes.Shape, """{"input": [5, 5], "layers": [{"op": "conv", "kernelSize": 3}]}""");

        Assert.Equal([3, 3], answer.GetProperty("outputShape").Ints());
        var layer = answer.GetProperty("layers")[0];
        Assert.Equal([5, 5], layer.GetProperty("inputShape").Ints());
        Assert.Equal(["floor((5 + 0 + 0 − 1·(3 − 1) − 1) / 1) + 1 = 3", "floor((5 + 0 + 0 − 1·(3 − 1) − 1) / 1) + 1 = 3"], layer.GetProperty("formula").Strings());
        Assert.Equal(10, layer.GetProperty("parameters").GetInt64());
        Assert.Equal(81, layer.GetProperty("multiplyAdds").GetInt64());
    }

    [Fact]
    public async Task AResNetStemGives112Then56And118013952MultiplyAddsForTheConv()
    {
        var answer = await _client.Ok(Routes.Shape, """
            {"input": [1, 3, 224, 224], "spatialDims": 2, "layers": [
              {"op": "conv", "outChannels": 64, "kernelSize": 7, "stride": 2, "padding": 3},
              {"op": "max", "kernelSize": 3, "stride": 2, "padding": 1}]}
            """);

        var (conv, pool) = (answer.GetProperty("layers")[0], answer.GetProperty("layers")[1]);
        Assert.Equal([1, 64, 112, 112], conv.GetProperty("outputShape").Ints());
        Assert.Equal(118_013_952, conv.GetProperty("multiplyAdds").GetInt64());
        Assert.Equal(64 * 3 * 49 + 64, conv.GetProperty("parameters").GetInt64());
        Assert.Equal([1, 64, 56, 56], pool.GetProperty("outputShape").Ints());
        Assert.Equal("floor((112 + 1 + 1 − 1·(3 − 1) − 1) / 2) + 1 = 56", pool.GetProperty("formula")[0].GetString());
        Assert.Equal(118_013_952, answer.GetProperty("totals").GetProperty("multiplyAdds").GetInt64());
        Assert.Equal(9472, answer.GetProperty("totals").GetProperty("parameters").GetInt64());
    }

    [Fact]
    public async Task ALayerThatNoLongerFitsNamesItsFieldWithTheNumbers()
    {
        using var response = await _client.PostAsync(Routes.Shape, Requests.Body("""
            {"input": [1, 3, 8, 8], "layers": [{"op": "conv", "outChannels": 4, "kernelSize": 3}, {"op": "max", "kernelSize": 2}, {"op": "conv", "outChannels": 4, "kernelSize": 5}]}
            """));

        await ProblemAssert.NamesField(response, "layers[2].kernelSize", "5×5", "3×3");
    }

    [Theory]
    [InlineData("""{"input": [5, 5], "layers": [{"op": "median", "kernelSize": 2}]}""", "layers[0].op", "\"conv-transpose\"")]
    [InlineData("""{"input": [5, 5], "layers": [{"op": "conv", "kernelSize": 3, "ceilMode": true}]}""", "layers[0].ceilMode", "does not apply to a conv layer")]
    [InlineData("""{"input": [5, 5], "layers": [{"op": "max", "kernelSize": 2, "outChannels": 3}]}""", "layers[0].outChannels", "does not apply to a max layer")]
    [InlineData("""{"input": [5, 5], "layers": [{"op": "conv", "kernelSize": 3, "shape": 1}]}""", "layers[0].shape", "not a field of a layer")]
    [InlineData("""{"input": [5, 5], "layers": [{"op": "conv", "kernelSize": 3, "outChannels": 8}]}""", "layers[0].outChannels", "[1, 5, 5]")]
    [InlineData("""{"input": [2, 5, 5], "layers": [{"op": "conv", "kernelSize": 3}]}""", "layers[0].outChannels", "required")]
    [InlineData("""{"input": [1, 4, 5, 5], "layers": [{"op": "conv", "outChannels": 6, "kernelSize": 3, "groups": 3}]}""", "layers[0].groups", "does not divide the 4 input channels")]
    [InlineData("""{"input": [5, 5], "layers": [{"op": "avg", "kernelSize": 2, "padding": 2}]}""", "layers[0].padding", "half")]
    [InlineData("""{"input": [5, 5], "layers": [{"op": "conv", "kernelSize": [3, 3, 3]}]}""", "layers[0].kernelSize", "spatialDims 3")]
    [InlineData("""{"input": [1, 2, 3, 4, 5, 6], "layers": [{"op": "conv", "kernelSize": 3}]}""", "input", "rank 6")]
    [InlineData("""{"input": [5, 5], "layers": []}""", "layers", "at least one layer")]
    public async Task BrokenLayersAre400sNamingLayersIField(string body, string field, string fragment)
    {
        using var response = await _client.PostAsync(Routes.Shape, Requests.Body(body));

        await ProblemAssert.NamesField(response, field, fragment);
    }

    [Fact]
    public async Task OneDAndThreeDStacksAndTransposedLayersFollowTheirRoutes()
    {
        var oneD = await _client.Ok(Routes.Shape, """
            {"input": [8, 2, 100], "spatialDims": 1, "layers": [
              {"op": "conv", "outChannels": 16, "kernelSize": 5, "padding": "same"},
              {"op": "avg", "kernelSize": 2},
              {"op": "conv-transpose", "outChannels": 2, "kernelSize": 2, "stride": 2}]}
            """);
        var threeD = await _client.Ok(Routes.Shape, """{"input": [1, 1, 9, 9, 9], "spatialDims": 3, "layers": [{"op": "adaptive-avg", "outputSize": [3, null, 4]}, {"op": "fractional-max", "kernelSize": 2, "outputRatio": 0.5}]}""");

        Assert.Equal([[8, 16, 100], [8, 16, 50], [8, 2, 100]], oneD.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("outputShape").Ints()));
        Assert.Equal("(50 − 1)·2 − 2·0 + 1·(2 − 1) + 0 + 1 = 100", oneD.GetProperty("layers")[2].GetProperty("formula")[0].GetString());
        Assert.Equal([1, 1, 3, 9, 4], threeD.GetProperty("layers")[0].GetProperty("outputShape").Ints());
        Assert.Equal("outputSize null keeps the input's 9", threeD.GetProperty("layers")[0].GetProperty("formula")[1].GetString());
        Assert.Equal("floor(9 · 0.5) = 4", threeD.GetProperty("layers")[1].GetProperty("formula")[1].GetString());
    }

    /// <summary>Random stacks: every layer /shape accepts gives the shape its route really returns for that input, and a layer it refuses, its route refuses too.</summary>
    [Fact]
    public async Task RandomStacksGiveTheShapesTheRoutesReturn()
    {
        var random = new Random(11);
        var (accepted, refused) = (0, 0);
        for (var trial = 0; trial < 30; trial++)
        {
            var shape = new[] { random.Next(1, 3), random.Next(1, 4), random.Next(5, 12), random.Next(5, 12) };
            var layers = Enumerable.Range(0, random.Next(1, 4)).Select(_ => RandomLayer(random)).ToList();
            var body = $$"""{"input": [{{string.Join(",", shape)}}], "layers": [{{string.Join(",", layers.Select(l => l.Json))}}]}""";
            using var response = await _client.PostAsync(Routes.Shape, Requests.Body(body));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{body}: HTTP {(int)response.StatusCode} {text}");
            var answer = JsonDocument.Parse(text).RootElement;
            var refusedAt = response.StatusCode == HttpStatusCode.OK ? layers.Count : FailingLayer(answer);
            if (refusedAt is > 0 and < int.MaxValue && refusedAt < layers.Count)
            {
                // The layers before the refused one, on their own, must be accepted: their shapes are compared below.
                var prefix = $$"""{"input": [{{string.Join(",", shape)}}], "layers": [{{string.Join(",", layers.Take(refusedAt).Select(l => l.Json))}}]}""";
                answer = await _client.Ok(Routes.Shape, prefix);
            }
            for (var i = 0; i < layers.Count && i <= refusedAt; i++)
            {
                var routeBody = layers[i].Request(shape, random);
                using var route = await _client.PostAsync(layers[i].Route, Requests.Body(routeBody));
                var routeText = await route.Content.ReadAsStringAsync();
                if (i == refusedAt)
                {
                    Assert.True(route.StatusCode == HttpStatusCode.BadRequest, $"/shape refused layer {i} of {body}: {text}; but {layers[i].Route} answered {(int)route.StatusCode} {routeText}");
                    refused++;
                    break;
                }
                Assert.True(route.StatusCode == HttpStatusCode.OK, $"/shape accepted layer {i} of {body}, but {layers[i].Route} answered {(int)route.StatusCode}: {routeText}");
                var real = WireTensor.Parse(JsonDocument.Parse(routeText).RootElement.GetProperty("output")).Shape;
                Assert.Equal(answer.GetProperty("layers")[i].GetProperty("outputShape").Ints(), real);
                shape = real;
                accepted++;
            }
        }
        Assert.True(accepted >= 20 && refused >= 3, $"{accepted} layers accepted and {refused} refused: draw other stacks");
    }

    private static int FailingLayer(JsonElement problem)
    {
        Assert.True(problem.TryGetProperty("errors", out var errors), $"no errors in {problem}");
        var field = errors.EnumerateObject().First().Name;
        Assert.True(field.StartsWith("layers[", StringComparison.Ordinal), $"a random stack's problem names {field}: {problem}");
        return int.Parse(field["layers[".Length..field.IndexOf(']')], System.Globalization.CultureInfo.InvariantCulture);
    }

    private sealed record Layer(string Json, string Route, Func<int[], Random, string> Request);

    private static Layer RandomLayer(Random random)
    {
        var (k, s, p) = (random.Next(1, 4), random.Next(1, 3), random.Next(0, 2));
        switch (random.Next(5))
        {
            case 0:
                var (cout, d) = (random.Next(1, 4), random.Next(1, 3));
                return new($$"""{"op": "conv", "outChannels": {{cout}}, "kernelSize": {{k}}, "stride": {{s}}, "padding": {{p}}, "dilation": {{d}}}""", Routes.ConvForward,
                    (shape, r) => $$"""{"input": {{Tensor(shape, r)}}, "kernel": {{Tensor([cout, shape[1], k, k], r)}}, "bias": {{Tensor([cout], r)}}, "stride": {{s}}, "padding": {{p}}, "dilation": {{d}}}""");
            case 1:
                var (outs, op) = (random.Next(1, 4), random.Next(0, s));
                return new($$"""{"op": "conv-transpose", "outChannels": {{outs}}, "kernelSize": {{k}}, "stride": {{s}}, "padding": {{p}}, "outputPadding": {{op}}}""", Routes.ConvTranspose,
                    (shape, r) => $$"""{"input": {{Tensor(shape, r)}}, "kernel": {{Tensor([shape[1], outs, k, k], r)}}, "bias": {{Tensor([outs], r)}}, "stride": {{s}}, "padding": {{p}}, "outputPadding": {{op}}}""");
            case 2:
                var ceil = random.Next(2) == 0 ? "true" : "false";
                var mode = random.Next(2) == 0 ? "max" : "avg";
                return new($$"""{"op": "{{mode}}", "kernelSize": {{k + 1}}, "stride": {{s}}, "padding": {{p}}, "ceilMode": {{ceil}}}""", $"/pool/{mode}",
                    (shape, r) => $$"""{"input": {{Tensor(shape, r)}}, "kernelSize": {{k + 1}}, "stride": {{s}}, "padding": {{p}}, "ceilMode": {{ceil}}}""");
            case 3:
                var size = random.Next(1, 6);
                return new($$"""{"op": "adaptive-max", "outputSize": [{{size}}, null]}""", "/pool/adaptive-max",
                    (shape, r) => $$"""{"input": {{Tensor(shape, r)}}, "outputSize": [{{size}}, null]}""");
            default:
                return new($$"""{"op": "lp", "kernelSize": {{k + 1}}, "normType": 2, "ceilMode": true}""", "/pool/lp",
                    (shape, r) => $$"""{"input": {{Tensor(shape, r)}}, "kernelSize": {{k + 1}}, "normType": 2, "ceilMode": true}""");
        }
    }

    private static string Tensor(int[] shape, Random random)
    {
        var count = shape.Aggregate(1, (a, b) => a * b);
        return $$"""{"shape": [{{string.Join(",", shape)}}], "data": [{{string.Join(",", Enumerable.Range(0, count).Select(_ => random.Next(-4, 5)))}}]}""";
    }
}
