using System.Net;
using System.Text.Json;
using ConvService.Api.Tests.Support;
using CsCheck;
using Xunit.Abstractions;

namespace ConvService.Api.Tests.Fuzz;

/// <summary>
/// Generated valid requests on every route (convolution forward and backward, each pooling mode forward and
/// backward), in float64 and float32, with values that are not binary fractions: every one answers 200, never a
/// 5xx, and agrees with the independent references in this folder (<see cref="NaiveConv"/>, <see cref="NaivePool"/>).
/// </summary>
[Collection(ApiCollection.Name)]
public class ValidRequestTests(ApiFactory factory, ITestOutputHelper output)
{
    /// <remarks>
    /// The routes the independent references here compute: convolution forward and backward, and every pooling mode
    /// forward and backward. Transposed convolution (its own fields, no reference here yet) is checked by nd.jsonl's
    /// PyTorch cases, and learn mode's routes by their own property tests; the hostile-body fuzz attacks all of them.
    /// </remarks>
    public static TheoryData<string> Routes =>
        [.. FuzzRoute.All.Select(r => r.Path).Where(HasReference)];

    private static bool HasReference(string path) =>
        path is Endpoints.Routes.ConvForward or Endpoints.Routes.ConvBackward
        || (path.StartsWith(Endpoints.Routes.Pool + "/", StringComparison.Ordinal) && !path.EndsWith("/explain", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task GeneratedRequestsMatchTheIndependentReference(string path)
    {
        var backward = path.EndsWith("/backward", StringComparison.Ordinal);
        var cases = path.StartsWith(Endpoints.Routes.Pool, StringComparison.Ordinal) ? PoolCases(path, backward) : ConvCases(backward);
        var client = factory.CreateClient();
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<HttpStatusCode, int>();

        await Parallel.ForEachAsync(Enumerable.Range(0, cases.Count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var (json, dtype, check) = cases[i];
            using var response = await client.PostAsync(path, Requests.Body(json));
            statuses.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
            var body = await response.Content.ReadAsStringAsync();
            var what = $"{path} case {i} of seed {FuzzSettings.Seed}: {json}";
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{what}\n→ {(int)response.StatusCode} {body}");
            var answer = JsonDocument.Parse(body).RootElement;
            foreach (var (field, expected) in check())
            {
                Assert.True(answer.TryGetProperty(field, out var value), $"{what}: no {field} in {body}");
                expected.AssertMatches(WireTensor.Parse(value), dtype, $"{what}\n{field}");
            }
        });

        output.WriteLine($"{path}: {cases.Count} valid requests (seed {FuzzSettings.Seed}): {string.Join(", ", statuses.Select(s => $"{(int)s.Key}×{s.Value}"))}, all matching the reference");
        Assert.Equal(cases.Count, statuses.GetValueOrDefault(HttpStatusCode.OK));
    }

    private static List<(string Json, string DType, Func<IEnumerable<(string, Expected)>> Check)> ConvCases(bool backward) =>
        [.. FuzzSettings.Cases(ConvProblem.Gen.Where(p => p.IsValid), FuzzSettings.Iterations(300), stream: backward ? 3u : 2u).Select(p =>
            (p.ToJson(backward), p.DType, (Func<IEnumerable<(string, Expected)>>)(() => backward ? ConvGradients(p) : [("output", NaiveConv.Forward(p))])))];

    private static IEnumerable<(string, Expected)> ConvGradients(ConvProblem p)
    {
        var (input, kernel, bias) = NaiveConv.Backward(p);
        yield return ("gradInput", input);
        yield return ("gradKernel", kernel);
        if (bias is not null)
            yield return ("gradBias", bias);
    }

    private static List<(string Json, string DType, Func<IEnumerable<(string, Expected)>> Check)> PoolCases(string path, bool backward)
    {
        var mode = path[(Endpoints.Routes.Pool.Length + 1)..].Replace("/backward", "", StringComparison.Ordinal);
        var stream = (uint)(10 + 2 * Array.IndexOf(PoolProblem.Modes, mode) + (backward ? 1 : 0));
        return [.. FuzzSettings.Cases(PoolProblem.For(mode).Where(p => p.IsValid && !NaivePool.HasWindowCancellingToZero(p)), FuzzSettings.Iterations(300), stream).Select(p =>
            (p.ToJson(backward), p.DType, (Func<IEnumerable<(string, Expected)>>)(() => backward ? [("gradInput", NaivePool.Backward(p))] : PoolOutputs(p))))];
    }

    private static IEnumerable<(string, Expected)> PoolOutputs(PoolProblem p)
    {
        var (values, indices) = NaivePool.Forward(p);
        yield return ("output", values);
        if (indices is not null)
            yield return ("indices", indices);
    }
}
