using System.Text.Json;
using ConvService.Api.Access;
using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Browser;

/// <summary>
/// A newcomer's first use, in a real browser against a real socket: each operation's prefilled seed example, run from
/// Swagger UI, shows the seed's answer (tests/Api.Tests/Conformance/seed.jsonl).
/// </summary>
public sealed class SwaggerUiTests(SwaggerUiSession session) : IClassFixture<SwaggerUiSession>
{
    [ChromiumFact]
    public async Task ExecutingTheConvForwardExampleShowsTheSeedOutput()
    {
        var answer = await ExecuteAsync(Routes.ConvForward);

        Assert.Equal([109, 92, 72], FirstRow(answer, "output"));
        AssertSeedAnswer(Routes.ConvForward, answer);
    }

    [ChromiumFact]
    public async Task ExecutingTheConvBackwardExampleShowsTheSeedGradients()
    {
        var answer = await ExecuteAsync(Routes.ConvBackward);

        Assert.Equal([4, 7, 10, 6, 3], FirstRow(answer, "gradInput"));
        AssertSeedAnswer(Routes.ConvBackward, answer);
    }

    [ChromiumFact]
    public async Task ExecutingTheMaxPoolExampleShowsTheSeedOutput()
    {
        var answer = await ExecuteAsync("/pool/max");

        Assert.Equal("[[109,92],[110,85]]", answer.GetProperty("output").GetRawText().Replace(" ", "").Replace("\n", ""));
        AssertSeedAnswer("/pool/max", answer);
    }

    [ChromiumFact]
    public async Task SwaggerUiRunsUnderItsContentSecurityPolicyWithNothingBlocked()
    {
        var answer = await ExecuteAsync(Routes.ConvForward);

        Assert.Equal([109, 92, 72], FirstRow(answer, "output"));
        Assert.Equal(PageSecurity.ContentSecurityPolicy, session.DocumentPolicy);
        Assert.True(session.PolicyViolations.IsEmpty, string.Join("\n", session.PolicyViolations));
    }

    private async Task<JsonElement> ExecuteAsync(string path)
    {
        var page = await session.OpenSwaggerAsync();
        try
        {
            return await SwaggerUi.ExecuteExampleAsync(page, path);
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    private static double[] FirstRow(JsonElement answer, string field) =>
        [.. answer.GetProperty(field)[0].EnumerateArray().Select(v => v.GetDouble())];

    // Every field of the seed's first answer for this endpoint, within 1e-9.
    private static void AssertSeedAnswer(string endpoint, JsonElement answer)
    {
        var seed = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Conformance", "seed.jsonl"))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .First(c => c.GetProperty("endpoint").GetString() == endpoint);
        foreach (var expected in seed.GetProperty("expected").EnumerateObject())
            WireTensor.Parse(answer.GetProperty(expected.Name)).AssertClose(WireTensor.Parse(expected.Value), expected.Name);
    }
}
