using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Hosting;

/// <summary>
/// The service's compute slots: <see cref="ServiceLimits.Permits"/> requests compute at once and up to
/// <see cref="ServiceLimits.QueueLength"/> wait in arrival order. Only computations take one (see
/// <see cref="Admission"/>); <see cref="IsFull"/> is what readiness reports.
/// </summary>
public sealed class ComputeSlots(IOptions<ServiceLimits> limits) : IDisposable
{
    private readonly int _queueLength = limits.Value.QueueLength;

    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = limits.Value.Permits,
        QueueLimit = limits.Value.QueueLength,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    /// <summary>Waits for a slot; the lease is not acquired when every slot is taken and the queue is full.</summary>
    public ValueTask<RateLimitLease> EnterAsync(CancellationToken cancellationToken) => _limiter.AcquireAsync(1, cancellationToken);

    /// <summary>Every slot is taken and the queue is full: the next computation would be turned away.</summary>
    public bool IsFull => _limiter.GetStatistics() is { CurrentAvailablePermits: 0 } s && s.CurrentQueuedCount >= _queueLength;

    /// <summary>Requests waiting for a slot now.</summary>
    public long Waiting => _limiter.GetStatistics()?.CurrentQueuedCount ?? 0;

    public void Dispose() => _limiter.Dispose();
}
