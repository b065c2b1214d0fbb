using System.Threading.RateLimiting;
using ConvService.Api.Plans;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Hosting;

/// <summary>Where a computation waits for its turn.</summary>
public enum ComputeLane
{
    /// <summary>Requests whose plan costs at most <see cref="ServiceLimits.CheapWork"/> and <see cref="ServiceLimits.CheapElements"/>: many at once, never behind expensive work.</summary>
    Cheap,

    /// <summary>Everything else (and any request without a plan): <see cref="ServiceLimits.Permits"/> at once, the rest queued.</summary>
    Expensive,
}

/// <summary>
/// The service's two compute lanes. A cheap request is over in microseconds on its own thread, so the cheap lane
/// admits <see cref="ServiceLimits.CheapPermits"/> at once and none of them waits for an expensive one; expensive
/// requests share <see cref="ServiceLimits.Permits"/> slots and up to <see cref="ServiceLimits.QueueLength"/> wait in
/// arrival order, and compute on the <see cref="ComputeThreads"/>. Only computations enter a lane (see <see cref="Admission"/>); <see cref="IsFull"/> is what readiness reports.
/// </summary>
public sealed class ComputeLanes : IDisposable
{
    private readonly long _cheapWork;
    private readonly long _cheapElements;
    private readonly int _queueLength;
    private readonly ConcurrencyLimiter _cheap;
    private readonly ConcurrencyLimiter _slots;
    private readonly ComputeThreads _threads;

    public ComputeLanes(IOptions<ServiceLimits> options)
    {
        var limits = options.Value;
        (_cheapWork, _cheapElements, _queueLength) = (limits.CheapWork, limits.CheapElements, limits.QueueLength);
        _cheap = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = limits.CheapPermits,
            QueueLimit = limits.CheapQueueLength,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _slots = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = limits.Permits,
            QueueLimit = limits.QueueLength,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _threads = new ComputeThreads(limits.Threads);
    }

    /// <summary>The lane of a request that will cost <paramref name="cost"/> (null: not known, so expensive).</summary>
    public ComputeLane LaneOf(Cost? cost) =>
        cost is { } c && _cheapWork > 0 && c.Work <= _cheapWork && c.ElementsIn + c.ElementsOut <= _cheapElements
            ? ComputeLane.Cheap
            : ComputeLane.Expensive;

    /// <summary>Waits for a place in <paramref name="lane"/>; the lease is not acquired when it and its queue are full.</summary>
    public ValueTask<RateLimitLease> EnterAsync(ComputeLane lane, CancellationToken cancellationToken) =>
        (lane == ComputeLane.Cheap ? _cheap : _slots).AcquireAsync(1, cancellationToken);

    /// <summary>
    /// Computes in <paramref name="lane"/>: a cheap computation on the calling thread (it is over sooner than a hand-off
    /// would be), an expensive one on the <see cref="ComputeThreads"/>.
    /// </summary>
    public ValueTask<T> RunAsync<T>(ComputeLane lane, Func<ValueTask<T>> compute) =>
        lane == ComputeLane.Cheap ? compute() : _threads.RunAsync(compute);

    /// <summary>Every expensive slot is taken and the queue is full: the next expensive computation would be turned away.</summary>
    public bool IsFull => _slots.GetStatistics() is { CurrentAvailablePermits: 0 } s && s.CurrentQueuedCount >= _queueLength;

    /// <summary>Expensive requests waiting for a slot now.</summary>
    public long Waiting => _slots.GetStatistics()?.CurrentQueuedCount ?? 0;

    public void Dispose()
    {
        _cheap.Dispose();
        _slots.Dispose();
        _threads.Dispose();
    }
}
