using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Conformance;

/// <summary>Every case PyTorch computed (Conformance/*.jsonl) posted through HTTP and compared within 1e-9.</summary>
[Collection(ApiCollection.Name)]
public class ConformanceTests(ApiFactory factory)
{
    public static TheoryData<ConformanceCase> ConvForwardCases => ConformanceCase.Where(Routes.ConvForward);

    [Theory]
    [MemberData(nameof(ConvForwardCases))]
    public Task ConvForwardMatchesPyTorch(ConformanceCase testCase) => AssertMatches(testCase);

    public static TheoryData<ConformanceCase> ConvBackwardCases => ConformanceCase.Where(Routes.ConvBackward);

    [Theory]
    [MemberData(nameof(ConvBackwardCases))]
    public Task ConvBackwardMatchesPyTorch(ConformanceCase testCase) => AssertMatches(testCase);

    private async Task AssertMatches(ConformanceCase testCase)
    {
        using var document = testCase.Parse();
        var root = document.RootElement;
        var content = new StringContent(root.GetProperty("request").GetRawText(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

        using var response = await factory.CreateClient().PostAsync(testCase.Endpoint, content);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{testCase}: HTTP {(int)response.StatusCode} {body}");
        using var answer = JsonDocument.Parse(body);
        var tolerance = root.TryGetProperty("tol", out var tol) ? tol.GetDouble() : 1e-9;
        foreach (var expected in root.GetProperty("expected").EnumerateObject())
        {
            Assert.True(answer.RootElement.TryGetProperty(expected.Name, out var actual), $"{testCase}: the answer has no {expected.Name}: {body}");
            WireTensor.Parse(actual).AssertClose(WireTensor.Parse(expected.Value), $"{testCase} {expected.Name}", tolerance);
        }
    }
}
