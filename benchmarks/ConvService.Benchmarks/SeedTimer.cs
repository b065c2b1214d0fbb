using System.Diagnostics;
using System.IO.Pipelines;
using System.Reflection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;

namespace ConvService.Benchmarks;

/// <summary>
/// The seed request in-process, one at a time for a while (`-- --seed [seconds] [direct] [logs] [allocations]`), two ways:
/// <list type="bullet">
/// <item>through the test server, which hands each request to a pool thread and the answer back (two thread hops, as a
/// socket's would be, but without Kestrel's parsing);</item>
/// <item>straight into the host's application, on the calling thread: the features Kestrel would fill (method, path,
/// headers, a body stream, a response body) and then the app's own pipeline, middleware, binding, validation, compute
/// and writing. This is the cost the service adds to a request, with no transport and no hop.</item>
/// </list>
/// Each prints the median and fastest latency in µs, and the process's CPU time and allocations per request.
/// </summary>
public static class SeedTimer
{
    private const string Body = """{"input":[[4,5,2,2,1],[3,3,2,2,4],[4,3,4,1,1],[5,1,4,1,2],[5,1,3,1,4]],"kernel":[[4,3,3],[5,5,5],[2,4,3]]}""";

    private static readonly byte[] BodyBytes = System.Text.Encoding.UTF8.GetBytes(Body);

    public static async Task PrintAsync(IReadOnlyList<string> args)
    {
        var seconds = args.Count > 0 && double.TryParse(args[0], System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 3;
        // `logs`: the service's default level, so each request writes its log line (to standard output; redirect it).
        var bench = new SeedRequestBenchmarks { LogLevel = args.Contains("logs") ? "Information" : "Warning" };
        bench.Setup();
        try
        {
            if (!args.Contains("direct"))
                await TimeAsync("test server", seconds, null, async () => await bench.SeedForwardPipeline());
            var application = Application(bench.Server);
            var answer = new MemoryStream();
            using var sampler = args.Contains("allocations") ? new AllocationSampler() : null;
            var requests = await TimeAsync("direct", seconds, sampler, async () =>
            {
                answer.SetLength(0);
                var status = await application(Features(answer));
                if (status != 200 || answer.Length == 0)
                    throw new InvalidOperationException($"the seed request answered {status} with {answer.Length} bytes");
            });
            Console.Error.WriteLine($"the answer: {System.Text.Encoding.UTF8.GetString(answer.ToArray())}");
            if (sampler is not null)
                PrintAllocations(sampler.Stop(), requests);
            // The same pipeline for a request that computes nothing: what every request pays before and after its endpoint.
            await TimeAsync("direct GET /health/live", seconds, null, async () =>
            {
                answer.SetLength(0);
                var status = await application(Features(answer, "GET", "/health/live"));
                if (status != 200)
                    throw new InvalidOperationException($"/health/live answered {status}");
            });
        }
        finally
        {
            bench.Cleanup();
        }
    }

    private static async Task<int> TimeAsync(string name, double seconds, AllocationSampler? sampler, Func<Task> request)
    {
        for (var i = 0; i < 5000; i++)
            await request();
        sampler?.Start();
        var times = new List<double>();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds)
        {
            var watch = Stopwatch.StartNew();
            await request();
            times.Add(watch.Elapsed.TotalMicroseconds);
        }
        process.Refresh();
        var cpuPer = (process.TotalProcessorTime - cpu).TotalMicroseconds / times.Count;
        var bytesPer = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / times.Count;
        times.Sort();
        Console.Error.WriteLine($"seed in-process, {name}: median {times[times.Count / 2]:F1} µs, fastest {times[0]:F1} µs, CPU {cpuPer:F1} µs and {bytesPer:N0} bytes allocated per request over {times.Count} requests");
        return times.Count;
    }

    /// <summary>The sampled bytes per request by type, largest first, down to 1% of the total (the harness's own included).</summary>
    private static void PrintAllocations(IReadOnlyList<(string Type, long Bytes)> types, int requests)
    {
        var total = types.Sum(t => t.Bytes);
        Console.Error.WriteLine($"allocations by type, sampled about every 100 KB ({total / (double)requests:N0} bytes per request):");
        foreach (var (type, bytes) in types.TakeWhile(t => t.Bytes * 100 >= total))
            Console.Error.WriteLine($"  {bytes / (double)requests,8:N0}  {bytes * 100.0 / total,5:F1}%  {type}");
    }

    /// <summary>What a server gives the host for one request: the request line, headers and body, and a response body.</summary>
    private static FeatureCollection Features(Stream answer, string method = "POST", string path = "/conv/forward")
    {
        var features = new FeatureCollection();
        var request = new HttpRequestFeature { Method = method, Path = path, Protocol = "HTTP/1.1", Scheme = "http", Body = method == "POST" ? new MemoryStream(BodyBytes, writable: false) : Stream.Null };
        if (method == "POST")
        {
            request.Headers.ContentType = "application/json";
            request.Headers.ContentLength = BodyBytes.Length;
        }
        request.Headers.Host = "localhost";
        features.Set<IHttpRequestFeature>(request);
        if (method == "POST")
            features.Set<IRequestBodyPipeFeature>(new BodyPipe(PipeReader.Create(new System.Buffers.ReadOnlySequence<byte>(BodyBytes))));
        features.Set<IHttpResponseFeature>(new HttpResponseFeature());
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(answer));
        return features;
    }

    /// <summary>The body as Kestrel offers it, a pipe already holding the bytes (not a stream wrapped in one).</summary>
    private sealed class BodyPipe(PipeReader reader) : IRequestBodyPipeFeature
    {
        public PipeReader Reader { get; } = reader;
    }

    /// <summary>
    /// The test server's hosting application (the app's pipeline wrapped in the host's per-request context), which it
    /// keeps private: one request's features in, its status out.
    /// </summary>
    private static Func<FeatureCollection, Task<int>> Application(TestServer server)
    {
        var field = typeof(TestServer).GetField("_application", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("TestServer no longer keeps its application in _application");
        var application = field.GetValue(server)!;
        var contract = application.GetType().GetInterfaces().Single(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IHttpApplication<>));
        var bind = typeof(SeedTimer).GetMethod(nameof(Bind), BindingFlags.Static | BindingFlags.NonPublic)!.MakeGenericMethod(contract.GetGenericArguments());
        return (Func<FeatureCollection, Task<int>>)bind.Invoke(null, [application])!;
    }

    private static Func<FeatureCollection, Task<int>> Bind<TContext>(IHttpApplication<TContext> application)
        where TContext : notnull =>
        async features =>
        {
            var context = application.CreateContext(features);
            try
            {
                await application.ProcessRequestAsync(context);
                await features.Get<IHttpResponseBodyFeature>()!.CompleteAsync();
                application.DisposeContext(context, null);
            }
            catch (Exception e)
            {
                application.DisposeContext(context, e);
                throw;
            }
            return features.Get<IHttpResponseFeature>()!.StatusCode;
        };
}
