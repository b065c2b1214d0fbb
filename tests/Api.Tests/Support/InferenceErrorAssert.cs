using System.Net;
using System.Text.Json;

namespace ConvService.Api.Tests.Support;

/// <summary>Reads the inference protocol's error answer: the status, application/json and {"error": message}.</summary>
public static class InferenceErrorAssert
{
    public static async Task<string> Is(HttpResponseMessage response, HttpStatusCode status, params string[] fragments)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        Assert.Equal(["error"], document.RootElement.EnumerateObject().Select(p => p.Name));
        var message = document.RootElement.GetProperty("error").GetString()!;
        foreach (var fragment in fragments)
            Assert.True(message.Contains(fragment, StringComparison.Ordinal), $"error \"{message}\" does not contain \"{fragment}\"");
        return message;
    }
}
