using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Hosting;
using ConvService.Api.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ConvService.Benchmarks;

/// <summary>
/// The seed homework (5×5 ⊛ 3×3) posted end to end in-process: routing, body binding, validation, compute, the
/// streamed answer and the request log, through ASP.NET Core's test server (no sockets).
/// </summary>
/// <remarks>The factory names the API's assembly by one of its types: this project's own Program hides the API's.</remarks>
public class SeedRequestBenchmarks
{
    private const string Body = """{"input":[[4,5,2,2,1],[3,3,2,2,4],[4,3,4,1,1],[5,1,4,1,2],[5,1,3,1,4]],"kernel":[[4,3,3],[5,5,5],[2,4,3]]}""";

    private WebApplicationFactory<TensorResult>? _factory;
    private HttpClient? _client;

    /// <summary>Serilog's minimum level: Warning keeps the per-request log line out (the service's default is Information).</summary>
    internal string LogLevel { get; init; } = "Warning";

    [GlobalSetup]
    public void Setup()
    {
        // The content root is the build output, which holds the service's appsettings: the factory's own guess, the
        // solution's folder plus the assembly's name, does not exist here (src/Api), and run from the repository the
        // host failed to start.
        _factory = new WebApplicationFactory<TensorResult>().WithWebHostBuilder(host =>
            host.UseContentRoot(AppContext.BaseDirectory).UseEnvironment("Production").UseSetting("Serilog:MinimumLevel:Default", LogLevel));
        _client = _factory.CreateClient();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client?.Dispose();
        _factory?.Dispose();
    }

    /// <summary>Through <see cref="HttpClient"/>: the client's own request and response objects included.</summary>
    [Benchmark]
    public async Task<string> SeedForward()
    {
        using var content = new StringContent(Body, System.Text.Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        using var response = await _client!.PostAsync("/conv/forward", content);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>
    /// The app's pipeline alone: the test server builds the request's HttpContext directly (no HttpClient), as Kestrel
    /// would from the socket, and the answer is read back from the response stream.
    /// </summary>
    [Benchmark]
    public async Task<int> SeedForwardPipeline()
    {
        var context = await _factory!.Server.SendAsync(http =>
        {
            http.Request.Method = "POST";
            http.Request.Path = "/conv/forward";
            http.Request.ContentType = "application/json";
            http.Request.ContentLength = BodyBytes.Length;
            http.Request.Body = new MemoryStream(BodyBytes, writable: false);
        });
        var answer = new byte[256];
        var (body, length) = (context.Response.Body, 0);
        for (int read; (read = await body.ReadAsync(answer.AsMemory(length))) > 0;)
            length += read;
        return length;
    }

    /// <summary>The app's test server, for <see cref="SeedTimer"/>'s direct calls.</summary>
    internal Microsoft.AspNetCore.TestHost.TestServer Server => _factory!.Server;

    private static readonly byte[] BodyBytes = System.Text.Encoding.UTF8.GetBytes(Body);
}
