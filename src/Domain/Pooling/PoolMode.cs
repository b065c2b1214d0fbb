namespace ConvService.Domain.Pooling;

/// <summary>
/// The pooling operators, as <c>torch.nn.functional</c> names them (each in 1-D, 2-D and 3-D where PyTorch has it).
/// Every mode is one window source (<see cref="PoolWindowing"/>) paired with one reduction (<see cref="PoolReduction"/>).
/// </summary>
public enum PoolMode
{
    /// <summary><c>max_pool1d/2d/3d</c>: sliding windows (dilated, padded with −∞), max.</summary>
    Max,

    /// <summary><c>avg_pool1d/2d/3d</c>: sliding windows (padded with zeros), mean.</summary>
    Avg,

    /// <summary><c>lp_pool1d/2d/3d</c>: sliding windows, power mean <c>(Σ x^p)^(1/p)</c>.</summary>
    Lp,

    /// <summary><c>fractional_max_pool2d/3d</c>: pseudo-randomly placed windows, max.</summary>
    FractionalMax,

    /// <summary><c>adaptive_max_pool1d/2d/3d</c>: windows that tile the input into the requested output size, max.</summary>
    AdaptiveMax,

    /// <summary><c>adaptive_avg_pool1d/2d/3d</c>: windows that tile the input into the requested output size, mean.</summary>
    AdaptiveAvg,
}

/// <summary>Where a mode's windows come from.</summary>
public enum PoolWindowing
{
    /// <summary>A kernel slid by a stride, the output size from <see cref="Geometry.OutputSize.Of"/>: max, avg, lp.</summary>
    Sliding,

    /// <summary><c>[floor(i·I/O), ceil((i + 1)·I/O))</c> per axis: adaptive-max, adaptive-avg.</summary>
    Adaptive,

    /// <summary>Kernel-sized windows placed per plane by random samples: fractional-max.</summary>
    Fractional,
}

/// <summary>What a mode computes over each window.</summary>
public enum PoolReduction
{
    /// <summary>The largest element (NaN wins; ties go to the first in row-major window order); indices exist.</summary>
    Max,

    /// <summary>The sum over a divisor.</summary>
    Mean,

    /// <summary><c>(mean of x^p · window size)^(1/p)</c>, as lp_pool computes it.</summary>
    PowerMean,
}

/// <summary>Each mode as its window source and reduction.</summary>
public static class PoolModes
{
    public static PoolWindowing Windowing(this PoolMode mode) => mode switch
    {
        PoolMode.Max or PoolMode.Avg or PoolMode.Lp => PoolWindowing.Sliding,
        PoolMode.FractionalMax => PoolWindowing.Fractional,
        _ => PoolWindowing.Adaptive,
    };

    public static PoolReduction Reduction(this PoolMode mode) => mode switch
    {
        PoolMode.Max or PoolMode.FractionalMax or PoolMode.AdaptiveMax => PoolReduction.Max,
        PoolMode.Lp => PoolReduction.PowerMean,
        _ => PoolReduction.Mean,
    };

    /// <summary>max, avg, lp: a kernel slid by a stride.</summary>
    public static bool IsSliding(this PoolMode mode) => mode.Windowing() == PoolWindowing.Sliding;

    /// <summary>max, fractional-max, adaptive-max: each output is one input element, so indices exist and gradients go to it.</summary>
    public static bool IsMaxType(this PoolMode mode) => mode.Reduction() == PoolReduction.Max;

    /// <summary>adaptive-max, adaptive-avg.</summary>
    public static bool IsAdaptive(this PoolMode mode) => mode.Windowing() == PoolWindowing.Adaptive;

    /// <summary>The wire name, as messages write it ("fractional-max").</summary>
    public static string WireName(this PoolMode mode) => mode switch
    {
        PoolMode.FractionalMax => "fractional-max",
        PoolMode.AdaptiveMax => "adaptive-max",
        PoolMode.AdaptiveAvg => "adaptive-avg",
        _ => mode.ToString().ToLowerInvariant(),
    };
}
