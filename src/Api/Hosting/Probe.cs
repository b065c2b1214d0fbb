using System.Diagnostics;

namespace ConvService.Api.Hosting;

/// <summary>
/// <c>dotnet ConvService.Api.dll --probe URL</c>: GETs <c>URL</c> and exits 0 on a 2xx answer, 1 otherwise (no
/// answer within 10 s included; a healthcheck's own timeout may cut it shorter), printing one line about it. A container healthcheck in exec form needs no shell,
/// curl or wget for it, so it works in the official aspnet image, whose /bin/sh is dash.
/// </summary>
public static class Probe
{
    private const string Flag = "--probe";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Whether the arguments ask for a probe, and of which URL.</summary>
    public static bool IsRequested(string[] args, out string url)
    {
        var at = Array.IndexOf(args, Flag);
        url = at >= 0 && at + 1 < args.Length ? args[at + 1] : "";
        return at >= 0;
    }

    /// <summary>The process's exit code: 0 when <paramref name="url"/> answers 2xx.</summary>
    public static async Task<int> RunAsync(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            Console.Error.WriteLine($"{Flag} needs an absolute http(s) URL, e.g. {Flag} http://127.0.0.1:8080/health/live; got \"{url}\"");
            return 1;
        }
        // No proxy: the probe asks this container's own port, whatever HTTP_PROXY says.
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout };
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead);
            Console.WriteLine($"{uri} answered {(int)response.StatusCode} {response.ReasonPhrase} in {clock.ElapsedMilliseconds} ms");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            Console.WriteLine($"{uri} did not answer ({error.Message}) after {clock.ElapsedMilliseconds} ms");
            return 1;
        }
    }
}
