using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ConvService.Api.Hosting;

/// <summary>
/// The service's own meter: <c>convservice.compute.duration</c>, the seconds a handler spends computing, tagged
/// by <c>operation</c>. A handler times itself with one line: <c>using var _ = ComputeMetrics.Measure("conv.forward");</c>
/// </summary>
public static class ComputeMetrics
{
    public const string MeterName = "ConvService";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "convservice.compute.duration", unit: "s", description: "Time spent computing one request's operation, JSON excluded.");

    /// <summary>Starts timing <paramref name="operation"/>; disposing the result records the elapsed time.</summary>
    public static Timing Measure(string operation) => new(operation, Stopwatch.GetTimestamp());

    /// <summary>A running measurement; records once when disposed.</summary>
    public readonly struct Timing(string operation, long started) : IDisposable
    {
        public void Dispose() =>
            Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("operation", operation));
    }
}
