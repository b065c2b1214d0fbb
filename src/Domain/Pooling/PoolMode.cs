namespace ConvService.Domain.Pooling;

/// <summary>The pooling operators, as <c>torch.nn.functional</c> names them.</summary>
public enum PoolMode
{
    /// <summary><c>max_pool2d</c>: the largest value of each (dilated, padded with −∞) window.</summary>
    Max,

    /// <summary><c>avg_pool2d</c>: the mean of each window, padded with zeros.</summary>
    Avg,

    /// <summary><c>lp_pool2d</c>: <c>(Σ x^p)^(1/p)</c> of each window.</summary>
    Lp,

    /// <summary><c>fractional_max_pool2d</c>: the max over pseudo-randomly placed windows.</summary>
    FractionalMax,

    /// <summary><c>adaptive_max_pool2d</c>: the max over windows that tile the input into the requested output size.</summary>
    AdaptiveMax,

    /// <summary><c>adaptive_avg_pool2d</c>: the mean over windows that tile the input into the requested output size.</summary>
    AdaptiveAvg,
}

/// <summary>What the modes have in common.</summary>
public static class PoolModes
{
    /// <summary>max, avg, lp: a kernel slid by a stride, the output size from <see cref="Geometry.OutputSize.Of"/>.</summary>
    public static bool IsSliding(this PoolMode mode) => mode is PoolMode.Max or PoolMode.Avg or PoolMode.Lp;

    /// <summary>max, fractional-max, adaptive-max: each output is one input element, so indices exist and gradients go to it.</summary>
    public static bool IsMaxType(this PoolMode mode) => mode is PoolMode.Max or PoolMode.FractionalMax or PoolMode.AdaptiveMax;

    /// <summary>adaptive-max, adaptive-avg: windows that tile the input into the requested output size.</summary>
    public static bool IsAdaptive(this PoolMode mode) => mode is PoolMode.AdaptiveMax or PoolMode.AdaptiveAvg;
}
