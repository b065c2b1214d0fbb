using System.Net;
using ConvService.Api.Tests.Access;
using ConvService.Api.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace ConvService.Api.Tests.Hosting;

/// <summary>One event per request, at Information (Error for a 5xx), naming the method, path, status, time and client.</summary>
public class RequestLogTests(RequestLogTests.LoggedApiFactory factory) : IClassFixture<RequestLogTests.LoggedApiFactory>
{
    [Fact]
    public async Task EachRequestIsOneEventWithItsMethodPathStatusTimeAndClient()
    {
        var client = factory.CreateClient();
        (await client.SendAsync(Clients.SeedRequest(forwardedFor: "203.0.113.7"))).Dispose();
        using var missing = await client.GetAsync("/no/such/route?x=1");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var seed = await factory.RequestEventAsync("/conv/forward");
        Assert.Equal(LogEventLevel.Information, seed.Level);
        Assert.Equal("POST", Scalar(seed, "RequestMethod"));
        Assert.Equal(200, Scalar(seed, "StatusCode"));
        Assert.InRange((double)Scalar(seed, "Elapsed")!, 0, 60_000);
        Assert.Equal("ip:", Scalar(seed, "Client")); // no proxy is trusted here, so the header changes nothing
        Assert.Equal("ConvService.Api.Hosting.RequestLog", Scalar(seed, "SourceContext"));
        Assert.NotEqual(default, seed.TraceId);
        Assert.Matches(@"^HTTP ""POST"" ""/conv/forward"" responded 200 in \d+\.\d{3} ms$", seed.RenderMessage());

        // The path without its query, as the route saw it.
        var unknown = await factory.RequestEventAsync("/no/such/route");
        Assert.Equal(404, Scalar(unknown, "StatusCode"));
        Assert.Equal(LogEventLevel.Information, unknown.Level);
    }

    private static object? Scalar(LogEvent e, string name) =>
        Assert.IsType<ScalarValue>(e.Properties[name], exactMatch: false).Value;

    /// <summary>The service at its default log level (Information), every event kept.</summary>
    public sealed class LoggedApiFactory : WebApplicationFactory<Program>
    {
        private readonly CapturedEvents _events = new();

        /// <summary>The one request line for <paramref name="path"/>.</summary>
        public async Task<LogEvent> RequestEventAsync(string path) =>
            Assert.Single(await _events.WaitForAsync(e => CapturedEvents.IsRequestLine(e, path)));

        protected override void ConfigureWebHost(IWebHostBuilder builder) =>
            builder.UseEnvironment("Testing").UseSetting("Serilog:MinimumLevel:Default", "Information")
                .ConfigureServices(services => services.AddSingleton<ILogEventSink>(_events));
    }
}
