using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace ConvService.Api.Tests.Support;

/// <summary>Every log event a test host writes, kept for the test to read (register it as an <see cref="ILogEventSink"/>).</summary>
public sealed class CapturedEvents : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyCollection<LogEvent> All => _events;

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    /// <summary>
    /// The events that <paramref name="match"/>, once there are at least <paramref name="count"/> of them or 5 s have
    /// passed: the sink is fed from a background queue, so a request's events may land after its answer.
    /// </summary>
    public async Task<IReadOnlyList<LogEvent>> WaitForAsync(Func<LogEvent, bool> match, int count = 1)
    {
        for (var i = 0; i < 100 && _events.Count(match) < count; i++)
            await Task.Delay(50);
        return _events.Where(match).ToList();
    }

    /// <summary>The request line (<c>RequestLog</c>'s event) for <paramref name="path"/>; the hosting scope gives other events a RequestPath too.</summary>
    public static bool IsRequestLine(LogEvent e, string path) => e.Properties.ContainsKey("StatusCode") &&
        e.Properties.TryGetValue("RequestPath", out var p) && p is ScalarValue { Value: string s } && s == path;
}
