using System.Net;
using System.Text.Json;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Learn;

/// <summary>Every learn-mode route has Swagger examples built from the seed, and each is answered.</summary>
[Collection(ApiCollection.Name)]
public class LearnExamplesTests(ApiFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task EveryLearnRoutesExamplesAreAnswered()
    {
        using var document = JsonDocument.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"));
        var routes = document.RootElement.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.EndsWith("/explain", StringComparison.Ordinal) || p.Name is "/shape" or "/check").ToList();
        var answered = 0;
        foreach (var path in routes)
        {
            var examples = path.Value.GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("examples");
            Assert.True(examples.EnumerateObject().Any(), $"{path.Name} has no example");
            foreach (var example in examples.EnumerateObject())
            {
                using var response = await _client.PostAsync(path.Name, Requests.Body(example.Value.GetProperty("value").GetRawText()));
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path.Name} example {example.Name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                answered++;
            }
        }
        // Four conv explain routes, six pool modes forward and backward, /shape and /check.
        Assert.Equal(4 + 12 + 2, routes.Count);
        Assert.True(answered >= routes.Count);
    }
}
