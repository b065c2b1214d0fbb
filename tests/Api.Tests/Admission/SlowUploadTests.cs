using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;
using Xunit.Abstractions;

namespace ConvService.Api.Tests.Admission;

/// <summary>
/// On a real Kestrel socket (TestServer has no upload rates): bodies that trickle in take no compute slot, and an
/// upload slower than the configured minimum is closed with a 408 problem.
/// </summary>
[Collection(TimingCollection.Name)]
public class SlowUploadTests(SlowUploadTests.TwoSlots factory, SlowUploadTests.StrictUploads strict, ITestOutputHelper output)
    : IClassFixture<SlowUploadTests.TwoSlots>, IClassFixture<SlowUploadTests.StrictUploads>
{
    private static readonly string Seed = $$"""{"input": {{Requests.SeedImage}}, "kernel": {{Requests.SeedKernel}} }""";

    [Fact]
    public async Task TwoClientsTricklingBodiesAtOneBytePerSecondDoNotDelayASeedRequest()
    {
        using var client = new HttpClient { BaseAddress = factory.Address };
        using (var warmUp = await client.PostAsync(Routes.ConvForward, Requests.Body(Seed)))
            warmUp.EnsureSuccessStatusCode();

        // As many tricklers as there are slots: if a slot were taken before the body is read, none would be left.
        await using var first = await Trickler.StartAsync(factory.Address, Seed);
        await using var second = await Trickler.StartAsync(factory.Address, Seed);
        await Task.Delay(1500);

        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await client.PostAsync(Routes.ConvForward, Requests.Body(Seed));
            times.Add(clock.Elapsed.TotalMilliseconds);
            Assert.Contains("[109,92,72]", await response.Content.ReadAsStringAsync());
        }

        times.Sort();
        output.WriteLine($"seed requests beside two trickling uploads: {string.Join(", ", times.Select(t => $"{t:0.0}"))} ms");
        Assert.False(first.Answered || second.Answered, "a trickling upload was already answered: the test proved nothing");
        Assert.True(times[2] < 100, $"median {times[2]:0.0} ms beside two trickling uploads");
    }

    [Fact]
    public async Task AnUploadSlowerThanTheMinimumRateIsClosedWithARequestTimeoutProblem()
    {
        var clock = Stopwatch.StartNew();
        await using var trickler = await Trickler.StartAsync(strict.Address, Seed);

        var answer = await trickler.ResponseAsync(TimeSpan.FromSeconds(20));

        output.WriteLine($"answered after {clock.Elapsed.TotalSeconds:0.0} s: {answer.ReplaceLineEndings(" | ")}");
        Assert.StartsWith("HTTP/1.1 408", answer);
        Assert.Contains("application/problem+json", answer);
        Assert.Contains("The request body arrived too slowly.", answer);
        // 1 byte/s against 100 bytes/s after a 2 s grace period; Kestrel's own default (240 bytes/s) waits 5 s first.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"closed only after {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>Two compute slots (a 2-core machine's), every other limit at its default.</summary>
    public sealed class TwoSlots : KestrelApiFactory
    {
        protected override IReadOnlyDictionary<string, string> Limits => new Dictionary<string, string> { ["ConcurrentRequests"] = "2" };
    }

    /// <summary>Uploads closed below 100 bytes/s after a 2 s grace period.</summary>
    public sealed class StrictUploads : KestrelApiFactory
    {
        protected override IReadOnlyDictionary<string, string> Limits => new Dictionary<string, string>
        {
            ["MinRequestBodyBytesPerSecond"] = "100",
            ["RequestBodyGracePeriod"] = "00:00:02",
        };
    }

    /// <summary>A client that announces a body and sends it one byte per second, on a raw socket.</summary>
    private sealed class Trickler : IAsyncDisposable
    {
        private readonly TcpClient _tcp = new();
        private readonly CancellationTokenSource _stop = new();
        private Task? _sending;
        private Task<string>? _response;
        private volatile bool _answered;

        /// <summary>Whether the server has sent anything back yet.</summary>
        public bool Answered => _answered;

        public static async Task<Trickler> StartAsync(Uri address, string body)
        {
            var trickler = new Trickler();
            await trickler._tcp.ConnectAsync(address.Host, address.Port);
            var stream = trickler._tcp.GetStream();
            var bytes = Encoding.UTF8.GetBytes(body);
            var head = $"POST {Routes.ConvForward} HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            trickler._sending = trickler.SendAsync(stream, bytes);
            trickler._response = trickler.ReadAsync(stream);
            return trickler;
        }

        public async Task<string> ResponseAsync(TimeSpan within) => await _response!.WaitAsync(within);

        private async Task SendAsync(NetworkStream stream, byte[] bytes)
        {
            try
            {
                foreach (var b in bytes)
                {
                    await stream.WriteAsync(new[] { b }, _stop.Token);
                    await Task.Delay(1000, _stop.Token);
                }
            }
            catch (Exception error) when (error is OperationCanceledException or IOException)
            {
                // stopped, or the server closed the connection: both end the trickle
            }
        }

        private async Task<string> ReadAsync(NetworkStream stream)
        {
            var buffer = new byte[16 * 1024];
            var total = new StringBuilder();
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer, _stop.Token)) > 0)
                {
                    total.Append(Encoding.UTF8.GetString(buffer, 0, read));
                    _answered = true;
                }
            }
            catch (Exception error) when (error is OperationCanceledException or IOException)
            {
                // the connection ended: what arrived is the answer
            }
            return total.ToString();
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _tcp.Dispose();
            await Task.WhenAll(_sending!, _response!);
            _stop.Dispose();
        }
    }
}
