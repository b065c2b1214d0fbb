using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace ConvService.Benchmarks;

/// <summary>
/// The runtime's allocation samples (one event per ~100 KB allocated, naming the type whose allocation crossed the
/// mark), tallied by type while it listens: with enough requests, each type's share of the samples is its share of the
/// bytes. `--seed N direct allocations` prints them after the direct run, to show what a request allocates.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const int GcKeyword = 0x1;
    private readonly ConcurrentDictionary<string, long> _bytes = new();
    private volatile bool _listening;

    public void Start() => _listening = true;

    public IReadOnlyList<(string Type, long Bytes)> Stop()
    {
        _listening = false;
        return _bytes.OrderByDescending(t => t.Value).Select(t => (t.Key, t.Value)).ToList();
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_listening || e.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || e.Payload is null)
            return;
        var type = e.PayloadNames!.IndexOf("TypeName") is var t and >= 0 ? e.Payload[t] as string ?? "?" : "?";
        var amount = e.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(e.Payload[a]) : 100_000;
        _bytes.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }
}
