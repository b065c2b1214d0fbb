using System.ComponentModel.DataAnnotations;

namespace ConvService.Api.Hosting;

/// <summary>
/// How much one request may ask of the service, bound from the "Limits" configuration section
/// (appsettings.json, or environment variables such as <c>Limits__MaxRequestBodyBytes</c>).
/// </summary>
public sealed class ServiceLimits
{
    public const string Section = "Limits";

    private const int SixteenMi = 16 * 1024 * 1024;

    /// <summary>Largest request body in bytes; a larger one, announced or chunked, is a 413.</summary>
    [Range(1, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Most numbers one tensor of a request may hold; also bounds the padded input a convolution builds.</summary>
    [Range(1, int.MaxValue)]
    public int MaxElementsPerTensor { get; set; } = SixteenMi;

    /// <summary>Most numbers all the tensors of one request may hold together.</summary>
    [Range(1, int.MaxValue)]
    public int MaxElementsPerRequest { get; set; } = SixteenMi;

    /// <summary>Most numbers one response tensor may hold, for every operation.</summary>
    [Range(1, int.MaxValue)]
    public int MaxOutputElements { get; set; } = SixteenMi;

    /// <summary>Most work one request may cost: multiply-adds for a convolution, window reads for a pooling.</summary>
    [Range(1, long.MaxValue)]
    public long MaxWork { get; set; } = 20_000_000_000;

    /// <summary>Version 1's name of <see cref="MaxWork"/>, still read so that a deployment that sets it keeps its limit.</summary>
    public long MaxMultiplyAdds { get => MaxWork; set => MaxWork = value; }

    /// <summary>
    /// Slowest a request body may arrive, in bytes per second after <see cref="RequestBodyGracePeriod"/> (Kestrel's
    /// MinRequestBodyDataRate; 0 turns it off); a slower upload is closed with 408.
    /// </summary>
    [Range(0, double.MaxValue)]
    public double MinRequestBodyBytesPerSecond { get; set; } = 240;

    /// <summary>How long a body may arrive slower than <see cref="MinRequestBodyBytesPerSecond"/> before it is closed (more than 1 s).</summary>
    [Range(typeof(TimeSpan), "00:00:01.001", "1.00:00:00")]
    public TimeSpan RequestBodyGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Most entries a learn-mode answer lists: the terms of one explained cell (its text elides the middle above 64, the
    /// list stays complete up to this), and the wrong cells /check lists. A cell with more terms is a 400 that suggests a
    /// smaller problem.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxExplainTerms { get; set; } = 100_000;

    /// <summary>Most layers one /shape request may stack.</summary>
    [Range(1, 1_000_000)]
    public int MaxShapeLayers { get; set; } = 1_000;

    /// <summary>Expensive requests (all but the cheap lane's) computed at once; 0 means one per processor.</summary>
    [Range(0, 100_000)]
    public int ConcurrentRequests { get; set; }

    /// <summary>
    /// Threads the expensive lane's computations start on (their kernels' parallel workers come from the thread pool);
    /// 0 means one per processor but one (at least one), so that no more computations than that run at once.
    /// </summary>
    [Range(0, 1024)]
    public int ComputeThreads { get; set; }

    /// <summary>Requests that wait for a free slot before new ones are turned away with 429.</summary>
    [Range(0, 1_000_000)]
    public int QueueLength { get; set; } = 256;

    /// <summary>Seconds a client is asked to wait (Retry-After) after a 429.</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>
    /// Time one request may take from its arrival to its answer (upload, waiting for a slot, computing); past it the
    /// computation stops and the answer is 504. A proxy in front should wait a little longer (deploy/nginx/proxy.conf).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Most work (multiply-adds or window reads) a request may cost and still take the cheap lane: it computes at once,
    /// on its own thread, beside whatever the compute slots hold. The default, 4,000,000, is the most that runs on one
    /// thread (the kernels split work from 2²² multiply-adds on): at most about 100 µs of one core. 0 turns the lane off.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long CheapWork { get; set; } = 4_000_000;

    /// <summary>
    /// Most numbers a cheap-lane request's tensors may hold, in and out together (copying them is work too); the
    /// default, 262,144, is below the pooling kernels' parallel split.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long CheapElements { get; set; } = 262_144;

    /// <summary>Cheap requests computed at once; 0 means 64 per processor. Generous: each one is over in well under a millisecond.</summary>
    [Range(0, 100_000)]
    public int CheapConcurrentRequests { get; set; }

    /// <summary>Cheap requests that wait when that many compute before new ones are turned away with 429.</summary>
    [Range(0, 1_000_000)]
    public int CheapQueueLength { get; set; } = 1024;

    /// <summary>
    /// Requests one client (its API key when keys are configured, else its address) may have in flight, from its
    /// headers to its answer (reading and parsing its body included); past them and <see cref="ClientQueueLength"/>,
    /// 429 with Retry-After. 0 means two per processor: enough for one client to keep every core busy, not enough to
    /// crowd the others out. -1 turns the limit off.
    /// </summary>
    [Range(-1, 100_000)]
    public int ClientConcurrentRequests { get; set; }

    /// <summary>Requests of one client that wait, in its own queue and before their bodies are read, for one of its places.</summary>
    [Range(0, 1_000_000)]
    public int ClientQueueLength { get; set; } = 32;

    /// <summary>Requests one client may start per second (a token bucket as deep as one second's worth); 0, the default, sets no rate.</summary>
    [Range(0, 1_000_000)]
    public int ClientRequestsPerSecond { get; set; }

    /// <summary>The concurrency actually used: <see cref="ConcurrentRequests"/>, or the processor count when it is 0.</summary>
    public int Permits => ConcurrentRequests > 0 ? ConcurrentRequests : Environment.ProcessorCount;

    /// <summary>The compute threads actually used: <see cref="ComputeThreads"/>, or all processors but one when it is 0.</summary>
    public int Threads => ComputeThreads > 0 ? ComputeThreads : Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>The requests one client may have in flight: <see cref="ClientConcurrentRequests"/>, two per processor when it is 0, none (no limit) when −1.</summary>
    public int ClientPermits => ClientConcurrentRequests switch { 0 => 2 * Environment.ProcessorCount, < 0 => 0, var n => n };

    /// <summary>The cheap lane's concurrency actually used: <see cref="CheapConcurrentRequests"/>, or 64 per processor when it is 0.</summary>
    public int CheapPermits => CheapConcurrentRequests > 0 ? CheapConcurrentRequests : 64 * Environment.ProcessorCount;
}
