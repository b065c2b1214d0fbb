using System.Diagnostics;
using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;
using Xunit.Abstractions;

namespace ConvService.Api.Tests.Hardening;

/// <summary>A tiny body asking for an enormous padded input or output is refused fast, with the default limits.</summary>
[Collection(ApiCollection.Name)]
public class HugeAskTests(ApiFactory factory, ITestOutputHelper output)
{
    [Theory]
    [InlineData("""{"input": [[1]], "kernel": [[1]], "padding": 2000000000}""", "padding", "1×4000000001×4000000001")]
    [InlineData("""{"input": [[1]], "kernel": [[1, 1]], "padding": [0, 200000000], "dilation": [1, 200000000], "stride": 100000000}""", "padding", "the limit per tensor is 16777216")]
    [InlineData("""{"input": [[[1]]], "kernel": {"shape": [2147483647, 1, 1, 1], "data": []}}""", "kernel", "holds 2147483647 elements")]
    public async Task ATinyBodyAskingForAnEnormousResultIsAFieldProblemInUnderFiveMilliseconds(string json, string field, string fragment)
    {
        var client = factory.CreateClient();
        using (var warmUp = await client.PostAsync(Routes.ConvForward, Requests.Body(json)))
            await ProblemAssert.NamesField(warmUp, field, fragment);

        var times = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await client.PostAsync(Routes.ConvForward, Requests.Body(json));
            times.Add(clock.Elapsed.TotalMilliseconds);
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        }

        times.Sort();
        output.WriteLine($"median {times[10]:0.000} ms, max {times[^1]:0.000} ms");
        Assert.True(times[10] < 5, $"median {times[10]:0.000} ms");
    }
}
