using System.Net;
using System.Text.Json;

namespace ConvService.Api.Tests.Support;

/// <summary>Reads a problem+json response and checks it field by field.</summary>
public static class ProblemAssert
{
    /// <summary>Asserts the status and the problem+json content type, and returns the parsed body.</summary>
    public static async Task<JsonElement> IsProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        return problem;
    }

    /// <summary>A 400 whose errors name <paramref name="field"/> with a message containing every one of <paramref name="fragments"/>.</summary>
    public static async Task<string> NamesField(HttpResponseMessage response, string field, params string[] fragments)
    {
        var problem = await IsProblem(response, HttpStatusCode.BadRequest);
        Assert.True(problem.TryGetProperty("errors", out var errors), $"no errors object in {problem}");
        Assert.True(errors.TryGetProperty(field, out var messages), $"errors do not name {field}: {errors}");
        var text = string.Join(" | ", messages.EnumerateArray().Select(m => m.GetString()));
        foreach (var fragment in fragments)
            Assert.True(text.Contains(fragment, StringComparison.Ordinal), $"errors[{field}] = \"{text}\" does not contain \"{fragment}\"");
        return text;
    }
}
