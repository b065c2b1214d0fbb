using System.Numerics;

namespace ConvService.Domain.Pooling.Windows;

/// <summary>
/// The random samples that place fractional-max windows: d per plane, in [0, 1), in PyTorch's order (2-D: width then
/// height; 3-D: depth, height, width).
/// </summary>
internal static class FractionalSamples
{
    /// <summary>The spatial axis (0 = outermost) that sample <paramref name="k"/> of a plane places, in <paramref name="dims"/> dimensions.</summary>
    public static int AxisOf(int dims, int k) => dims == 2 ? 1 - k : k;

    /// <summary>Fills <paramref name="destination"/> with samples in [0, 1): from <paramref name="seed"/> reproducibly, else from a shared generator.</summary>
    public static void Draw(int? seed, Span<double> destination)
    {
        var random = seed is { } s ? new Random(s) : Random.Shared;
        foreach (ref var sample in destination)
            sample = random.NextDouble();
    }

    /// <summary>Throws unless every sample lies in [0, 1).</summary>
    /// <exception cref="ArgumentException">A sample lies outside [0, 1) (the parameter is randomSamples).</exception>
    internal static void Check<T>(ReadOnlySpan<T> samples) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var sample in samples)
        {
            if (!(sample >= T.Zero && sample < T.One))
                throw new ArgumentException($"randomSamples must lie in [0, 1) in the request's dtype; got {sample}", "randomSamples");
        }
    }
}
