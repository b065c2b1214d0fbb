using System.Net;
using ConvService.Api.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace ConvService.Api.Tests.Hardening;

/// <summary>A bug of ours is a 500 that says nothing of its internals, never a 400 that blames the client; its log line carries the trace id the client sees.</summary>
public class InternalErrorTests(InternalErrorTests.FaultyApiFactory factory) : IClassFixture<InternalErrorTests.FaultyApiFactory>
{
    [Fact]
    public async Task AnArgumentExceptionFromAGuardIsA500ProblemLoggedAtErrorWithItsTraceId()
    {
        using var response = await factory.CreateClient().GetAsync(FaultyApiFactory.GuardPath);

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.InternalServerError);
        Assert.False(problem.TryGetProperty("errors", out _), $"a 500 names no field: {problem}");
        Assert.DoesNotContain(FaultyApiFactory.GuardMessage, problem.ToString());
        Assert.DoesNotContain(nameof(ArgumentOutOfRangeException), problem.ToString());
        var traceId = problem.GetProperty("traceId").GetString();
        var logged = Assert.Single(factory.Events, e => e.Exception is ArgumentOutOfRangeException);
        Assert.Equal(LogEventLevel.Error, logged.Level);
        Assert.Equal(traceId, (logged.Properties["TraceId"] as ScalarValue)?.Value);

        // The request's own line says 500 at Error (the log level is Warning here, so only that level shows it).
        var request = Assert.Single(await factory.Captured.WaitForAsync(e => CapturedEvents.IsRequestLine(e, FaultyApiFactory.GuardPath)));
        Assert.Equal(LogEventLevel.Error, request.Level);
        Assert.Equal(500, (request.Properties["StatusCode"] as ScalarValue)?.Value);
    }

    /// <summary>The app plus one route that fails as an internal length guard would, and a sink that keeps every log event.</summary>
    public sealed class FaultyApiFactory : WebApplicationFactory<Program>, IStartupFilter
    {
        public const string GuardPath = "/test/guard";
        public const string GuardMessage = "internal guard: span length 7, expected 9";

        public CapturedEvents Captured { get; } = new();

        public IReadOnlyCollection<LogEvent> Events => Captured.All;

        // After the app's own pipeline (so inside its exception handler), reached by a path no endpoint matches.
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Map(GuardPath, branch => branch.Run(_ => throw new ArgumentOutOfRangeException("length", 7, GuardMessage)));
        };

        protected override void ConfigureWebHost(IWebHostBuilder builder) =>
            builder.UseEnvironment("Testing").UseSetting("Serilog:MinimumLevel:Default", "Warning")
                .ConfigureServices(services => services.AddSingleton<ILogEventSink>(Captured).AddSingleton<IStartupFilter>(this));
    }
}
