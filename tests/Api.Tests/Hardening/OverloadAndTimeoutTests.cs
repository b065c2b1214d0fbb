using System.Diagnostics;
using System.Net;
using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Hardening;

/// <summary>
/// With a 500 ms limit, a big request is stopped and answered 504, and an answer computed in time is written whole however
/// long its client takes to read it (what happens beside a busy slot: Admission/BusySlotTests).
/// </summary>
[Collection(TimingCollection.Name)]
public class OverloadAndTimeoutTests(SlowApiFactory factory) : IClassFixture<SlowApiFactory>
{
    [Fact]
    public async Task ARequestPastTheTimeLimitIsStoppedWithAGatewayTimeoutProblem()
    {
        // Both gradients with padding 30: about 2·10¹¹ multiply-adds, several seconds at this machine's peak and far more
        // on the shared machine under load, so that stopping at the limit and running to the end are seconds apart.
        using var body = Requests.Body(BigRequest.Json.Replace("\"padding\": 3 ", "\"padding\": 30 ", StringComparison.Ordinal));
        var client = factory.CreateClient();
        var clock = Stopwatch.StartNew();
        using var response = await client.PostAsync(Routes.ConvBackward, body);

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.GatewayTimeout);
        Assert.Contains("0.5 s", problem.GetProperty("detail").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"took {clock.Elapsed}: the computation did not stop");
    }

    // An image ⊛ [2]: computed in milliseconds, with an answer of megabytes, far beyond what the response pipe holds
    // before its writer waits for the client to read (JSON's image is smaller: it takes longer to read).
    private const int Side = 1024, JsonSide = 384;

    private static double Pixel(int i) => i % 251 - 125;

    [Fact]
    public async Task AnInferenceAnswerComputedInTimeIsWrittenWholeWhileItsClientReadsPastTheLimit()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/models/conv2d/infer")
        {
            Content = InferenceWire.Binary([new("input", "FP32", [1, 1, Side, Side], [.. Enumerable.Range(0, Side * Side).Select(Pixel)]), new("weight", "FP32", [1, 1, 1, 1], [2])]),
        };
        using var response = await factory.CreateClient().SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var output = (await InferenceWire.ReadAsync(response)).Outputs["output"];
        Assert.Equal([1, 1, Side, Side], output.Shape);
        for (var i = 0; i < Side * Side; i++)
            Assert.True(output.Data[i] == 2 * Pixel(i), $"output[{i}] = {output.Data[i]}, not {2 * Pixel(i)}");
    }

    [Fact]
    public async Task AJsonAnswerComputedInTimeIsWrittenWholeWhileItsClientReadsPastTheLimit()
    {
        var image = string.Join(",", Enumerable.Range(0, JsonSide * JsonSide).Select(Pixel));
        using var request = new HttpRequestMessage(HttpMethod.Post, Routes.ConvForward)
        {
            Content = Requests.Body($$"""{"input": {"shape": [{{JsonSide}}, {{JsonSide}}], "data": [{{image}}]}, "kernel": {"shape": [1, 1], "data": [2]} }"""),
        };
        using var response = await factory.CreateClient().SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        var output = answer.RootElement.GetProperty("output");
        Assert.Equal([JsonSide, JsonSide], output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        var data = output.GetProperty("data").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(JsonSide * JsonSide, data.Length);
        for (var i = 0; i < data.Length; i++)
            Assert.True(data[i] == 2 * Pixel(i), $"output[{i}] = {data[i]}, not {2 * Pixel(i)}");
    }
}
