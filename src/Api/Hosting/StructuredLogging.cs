using Serilog;
using Serilog.Formatting.Compact;
using Serilog.Settings.Configuration;

namespace ConvService.Api.Hosting;

/// <summary>
/// Serilog from configuration ("Serilog" section, overridable by environment variables such as
/// Serilog__MinimumLevel__Default): readable console lines in Development, compact JSON elsewhere. The console is
/// written from a background queue, so a request never waits on the terminal; outside Development in batches
/// (<see cref="BatchedConsoleSink"/>), so that a log line per request stays cheap. When a flood outruns the console the
/// queue (10,000 events) drops events rather than slow the requests. Each host has its own logger (the static
/// <c>Log.Logger</c> is left alone), so several hosts in one process, as in the tests, each log where they were told.
/// </summary>
public static class StructuredLogging
{
    /// <summary>
    /// The assemblies whose sinks and enrichers configuration may name: naming them spares start-up the scan of every
    /// dependency's metadata that Serilog makes otherwise.
    /// </summary>
    private static readonly ConfigurationReaderOptions Readable = new(typeof(ConsoleLoggerConfigurationExtensions).Assembly, typeof(LoggerConfigurationAsyncExtensions).Assembly);

    public static WebApplicationBuilder AddStructuredLogging(this WebApplicationBuilder builder)
    {
        var readable = builder.Environment.IsDevelopment();
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration, Readable)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext();
            if (readable)
                logger.WriteTo.Async(sink => sink.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}"));
            else
                logger.WriteTo.Sink(new BatchedConsoleSink(new RenderedCompactJsonFormatter(), Console.OpenStandardOutput()));
        }, preserveStaticLogger: true);
        return builder;
    }

    /// <summary>One event per request (<see cref="RequestLog"/>): method, path, status, elapsed milliseconds and the client.</summary>
    public static WebApplication UseRequestLogging(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<Serilog.ILogger>();
        app.Use(next => new RequestLog(next, logger).InvokeAsync);
        return app;
    }
}
