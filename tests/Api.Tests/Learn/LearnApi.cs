using System.Net;
using System.Text.Json;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Learn;

/// <summary>Posts learn-mode and compute requests and reads their answers.</summary>
internal static class LearnApi
{
    /// <summary>The seed's image and kernel as request fields: <c>"input": A, "kernel": B</c>.</summary>
    public const string Seed = $$"""  "input": {{Requests.SeedImage}}, "kernel": {{Requests.SeedKernel}} """;

    /// <summary>The seed's answer C, the input of the homework's pooling question.</summary>
    public const string SeedC = "[[109,92,72],[108,85,74],[110,74,79]]";

    /// <summary>Posts <paramref name="json"/> and returns the 200 answer, failing with the body otherwise.</summary>
    public static async Task<JsonElement> Ok(this HttpClient client, string route, string json)
    {
        using var response = await client.PostAsync(route, Requests.Body(json));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST {route}: HTTP {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The value of a tensor field of a compute answer at <paramref name="cell"/>.</summary>
    public static double At(this JsonElement answer, string field, params int[] cell)
    {
        var tensor = WireTensor.Parse(answer.GetProperty(field));
        var offset = 0;
        for (var a = 0; a < cell.Length; a++)
            offset = offset * tensor.Shape[a] + cell[a];
        return tensor.Data[offset];
    }

    public static int[] Ints(this JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetInt32())];

    public static string[] Strings(this JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}
