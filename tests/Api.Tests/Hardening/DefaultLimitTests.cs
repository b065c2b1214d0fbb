using System.Net;
using System.Text.Json;
using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Hardening;

/// <summary>With the default limits, pooling is held to the Limits section only, the same budget as convolution.</summary>
[Collection(ApiCollection.Name)]
public class DefaultLimitTests(ApiFactory factory)
{
    [Fact]
    public async Task APoolingOfHalfABillionWindowReadsRunsUnderTheDefaultWorkLimit()
    {
        // 151×151 windows of 150×150 ones: 5.1·10⁸ reads, under Limits:MaxWork (2·10¹⁰); each average is exactly 1.
        var ones = "[" + string.Join(",", Enumerable.Repeat("[" + string.Join(",", Enumerable.Repeat("1", 300)) + "]", 300)) + "]";

        using var response = await factory.CreateClient().PostAsync($"{Routes.Pool}/avg", Requests.Body($$"""{"input": {{ones}}, "kernelSize": 150, "stride": 1}"""));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        var output = WireTensor.Parse(JsonDocument.Parse(body).RootElement.GetProperty("output"));
        Assert.Equal([151, 151], output.Shape);
        Assert.All(output.Data, value => Assert.Equal(1.0, value));
    }
}
