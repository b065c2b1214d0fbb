using System.Text.Json;
using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;
using CsCheck;
using Xunit.Abstractions;

namespace ConvService.Api.Tests.Fuzz;

/// <summary>Generated valid requests of every option and padding mode agree with <see cref="NaiveConv"/> to 1e-9.</summary>
[Collection(ApiCollection.Name)]
public class ValidRequestTests(ApiFactory factory, ITestOutputHelper output)
{
    [Fact]
    public async Task GeneratedConvolutionsMatchTheNaiveReference()
    {
        var cases = FuzzSettings.Cases(ConvProblem.Gen.Where(p => p.IsValid), FuzzSettings.Iterations(500), stream: 2);
        var client = factory.CreateClient();

        await Parallel.ForEachAsync(Enumerable.Range(0, cases.Count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var problem = cases[i];
            using var response = await client.PostAsync(Routes.ConvForward, Requests.Body(problem.ToJson()));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"case {i} of seed {FuzzSettings.Seed}: {problem}\n→ {(int)response.StatusCode} {body}");
            var (shape, data) = NaiveConv.Forward(problem);
            var actual = WireTensor.Parse(JsonDocument.Parse(body).RootElement.GetProperty("output"));
            actual.AssertClose(new WireTensor(shape, data, Flat: true), $"case {i} of seed {FuzzSettings.Seed}: {problem}");
        });
        output.WriteLine($"{cases.Count} valid requests (seed {FuzzSettings.Seed}) matched the naive reference");
    }
}
