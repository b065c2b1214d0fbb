using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ConvService.Api.Hosting;

/// <summary>
/// The first log line says where the service listens (after Kestrel has bound, so an OS-chosen port shows as itself):
/// appsettings.json sets Microsoft.Hosting.Lifetime to Warning, and these two events replace its start and stop lines.
/// </summary>
public static partial class StartupLog
{
    public static WebApplication LogListeningAddresses(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            using var process = Process.GetCurrentProcess();
            var elapsed = DateTime.Now - process.StartTime;
            Listening(app.Logger, [.. addresses], app.Environment.EnvironmentName, (long)elapsed.TotalMilliseconds);
        });
        app.Lifetime.ApplicationStopping.Register(() => Stopping(app.Logger));
        return app;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "ConvService listening on {Urls} ({Environment}, started in {StartupMilliseconds} ms)")]
    private static partial void Listening(ILogger logger, string[] urls, string environment, long startupMilliseconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "ConvService stopping")]
    private static partial void Stopping(ILogger logger);
}
