using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ConvService.Api.Tests.Support;
using Xunit.Abstractions;

namespace ConvService.Api.Tests.Fuzz;

/// <summary>Thousands of malformed and hostile bodies per route: never a 5xx, and every 4xx a problem+json that says what is wrong.</summary>
[Collection(ApiCollection.Name)]
public class HostileBodyTests(ApiFactory factory, ITestOutputHelper output)
{
    private static readonly HashSet<HttpStatusCode> Expected =
        [HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.UnsupportedMediaType];

    [Theory]
    [MemberData(nameof(FuzzRoute.Paths), MemberType = typeof(FuzzRoute))]
    public async Task HostileBodiesGetProblemsNamingTheFieldAndNeverA5xx(string path)
    {
        var cases = FuzzSettings.Cases(HostileBodies.For(FuzzRoute.Named(path)), FuzzSettings.Iterations(3000));
        var client = factory.CreateClient();
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<HttpStatusCode, int>();

        await Parallel.ForEachAsync(Enumerable.Range(0, cases.Count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var request = cases[i];
            using var content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null)
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
            using var response = await client.PostAsync(path, content);
            statuses.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
            var body = await response.Content.ReadAsStringAsync();
            var what = $"case {i} of seed {FuzzSettings.Seed}: {request}\n→ {(int)response.StatusCode} {body}";
            Assert.True(Expected.Contains(response.StatusCode), what);
            if (response.StatusCode != HttpStatusCode.OK)
                AssertDescribesTheProblem(response, body, what);
        });

        output.WriteLine($"{path}: {cases.Count} cases, seed {FuzzSettings.Seed}: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{(int)s.Key}×{s.Value}"))}");
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.BadRequest) > cases.Count / 2, $"too few 400s to be hostile: {string.Join(", ", statuses)}");
    }

    private static void AssertDescribesTheProblem(HttpResponseMessage response, string body, string what)
    {
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", what);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.True(problem.GetProperty("status").GetInt32() == (int)response.StatusCode, what);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()), what);
        if (response.StatusCode != HttpStatusCode.BadRequest)
            return;
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.EnumerateObject().Any(), what);
        foreach (var field in errors.EnumerateObject())
        {
            Assert.False(string.IsNullOrWhiteSpace(field.Name), what);
            Assert.True(field.Value.EnumerateArray().All(m => !string.IsNullOrWhiteSpace(m.GetString())), what);
        }
    }
}
