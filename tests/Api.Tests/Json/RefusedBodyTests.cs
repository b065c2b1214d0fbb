using System.Net.Sockets;
using System.Text;
using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Json;

/// <summary>On a real socket: a body refused halfway leaves its keep-alive connection usable for the next request.</summary>
public class RefusedBodyTests(KestrelApiFactory factory) : IClassFixture<KestrelApiFactory>
{
    [Fact]
    public async Task AfterABodyRefusedMidwayTheSameConnectionAnswersTheNextRequest()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(factory.Address.Host, factory.Address.Port);
        var stream = tcp.GetStream();
        var body = """{"input": [[1, 2], [3, 4]], "kernel": [[1]]} trailing garbage""";
        var rest = new string(' ', 100);

        await Send(stream, $"POST {Routes.ConvForward} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {body.Length + rest.Length}\r\n\r\n{body}");
        var refused = await Receive(stream);
        await Send(stream, rest);
        await Send(stream, $"GET {Routes.HealthLive} HTTP/1.1\r\nHost: test\r\n\r\n");
        var next = await Receive(stream);

        Assert.StartsWith("HTTP/1.1 400", refused);
        Assert.StartsWith("HTTP/1.1 200", next);
    }

    private static Task Send(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    // One whole response: headers, then a Content-Length body or chunks up to the last one.
    private static async Task<string> Receive(NetworkStream stream)
    {
        var text = new StringBuilder();
        var buffer = new byte[8192];
        while (!IsComplete(text.ToString()))
        {
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            if (read == 0)
                break;
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
        return text.ToString();
    }

    private static bool IsComplete(string response)
    {
        var end = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
            return false;
        var length = System.Text.RegularExpressions.Regex.Match(response[..end], @"Content-Length: (\d+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        return length.Success
            ? response.Length - end - 4 >= int.Parse(length.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : response.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal);
    }
}
