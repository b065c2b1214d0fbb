using System.Net;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Access;

/// <summary>Helpers for the per-client tests: a seed request, and a request that holds its client's place.</summary>
internal static class Clients
{
    public static readonly string Seed = $$"""{"input": {{Requests.SeedImage}}, "kernel": {{Requests.SeedKernel}} }""";

    public static HttpRequestMessage SeedRequest(string path = "/conv/forward", string? key = null, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Requests.Body(Seed) };
        if (key is not null)
            request.Headers.Add("X-Api-Key", key);
        if (forwardedFor is not null)
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        return request;
    }

    /// <summary>A request to the <see cref="HoldRoute"/>, from the client <paramref name="key"/> or <paramref name="forwardedFor"/> name.</summary>
    public static HttpRequestMessage Hold(string? key = null, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, HoldRoute.Path);
        if (key is not null)
            request.Headers.Add("X-Api-Key", key);
        if (forwardedFor is not null)
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        return request;
    }

    /// <summary>Lets the held request finish and asserts it was answered 200 (it was held, not refused).</summary>
    public static async Task FinishAsync(HoldRoute hold, Task<HttpResponseMessage> held)
    {
        hold.Release();
        using var response = await held;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
