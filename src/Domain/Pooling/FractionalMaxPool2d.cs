using System.Numerics;

namespace ConvService.Domain.Pooling;

/// <summary>PyTorch's <c>fractional_max_pool2d</c> over NCHW planes, and its gradient.</summary>
public static class FractionalMaxPool2d
{
    /// <summary>
    /// Per plane p the samples <c>(u_w, u_h) = samples[2p], samples[2p + 1]</c> (width first, as PyTorch) place the
    /// windows: <c>alpha = (I − K) / (O − 1)</c>, <c>start_i = (int)((i + u)·alpha) − (int)(u·alpha)</c> for i &lt; O − 1 and
    /// <c>start_{O−1} = I − K</c>, computed in <typeparamref name="T"/>; <c>out</c> is each K-window's max and
    /// <paramref name="indices"/> its flat position <c>h·W + w</c>. Ties go to the first in row-major order; NaN propagates.
    /// </summary>
    /// <exception cref="ArgumentException">A sample lies outside [0, 1).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A span's length does not match <paramref name="geometry"/>.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; polled per plane.</exception>
    public static void Forward<T>(PoolGeometry geometry, ReadOnlySpan<T> input, ReadOnlySpan<T> samples, Span<T> output, Span<int> indices, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        geometry.CheckLengths(input.Length, output.Length);
        if (!indices.IsEmpty)
            geometry.CheckLengths(input.Length, indices.Length, outputName: nameof(indices));
        CheckSamples(geometry, samples);
        var (rows, cols) = (PoolWindows.Fractional(geometry.Axes[0].Output), PoolWindows.Fractional(geometry.Axes[1].Output));
        var (inLength, outLength) = (geometry.InputPlaneLength, geometry.OutputPlaneLength);
        for (var p = 0; p < geometry.Planes; p++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Place(geometry, samples, p, rows, cols);
            MaxWindows.Forward(input.Slice(p * inLength, inLength), geometry.Axes[1].Input, rows, cols, output.Slice(p * outLength, outLength), indices.IsEmpty ? indices : indices.Slice(p * outLength, outLength));
        }
    }

    /// <summary><c>gradIn</c> = each <c>gradOut[p,i,j]</c> added at its window's argmax, the windows placed by the same <paramref name="samples"/>.</summary>
    /// <exception cref="ArgumentException">A sample lies outside [0, 1).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A span's length does not match <paramref name="geometry"/>.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; polled per plane.</exception>
    public static void Backward<T>(PoolGeometry geometry, ReadOnlySpan<T> input, ReadOnlySpan<T> samples, ReadOnlySpan<T> gradOutput, Span<T> gradInput, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSamples(geometry, samples);
        var (rows, cols) = (PoolWindows.Fractional(geometry.Axes[0].Output), PoolWindows.Fractional(geometry.Axes[1].Output));
        var copy = samples.ToArray();
        MaxBackward.Run(geometry, input, gradOutput, gradInput, p =>
        {
            Place<T>(geometry, copy, p, rows, cols);
            return (rows, cols);
        }, cancellationToken);
    }

    /// <summary>Fills <paramref name="destination"/> with samples in [0, 1): from <paramref name="seed"/> reproducibly, else from a shared generator.</summary>
    public static void DrawSamples(int? seed, Span<double> destination)
    {
        var random = seed is { } s ? new Random(s) : Random.Shared;
        foreach (ref var sample in destination)
            sample = random.NextDouble();
    }

    private static void Place<T>(PoolGeometry geometry, ReadOnlySpan<T> samples, int plane, PoolWindows rows, PoolWindows cols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        cols.PlaceFractional(samples[2 * plane], geometry.Axes[1].Input, geometry.Axes[1].Kernel);
        rows.PlaceFractional(samples[2 * plane + 1], geometry.Axes[0].Input, geometry.Axes[0].Kernel);
    }

    private static void CheckSamples<T>(PoolGeometry geometry, ReadOnlySpan<T> samples) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(samples.Length, 2 * geometry.Planes, nameof(samples));
        foreach (var sample in samples)
        {
            if (!(sample >= T.Zero && sample < T.One))
                throw new ArgumentException($"randomSamples must lie in [0, 1) in the request's dtype; got {sample}", "randomSamples");
        }
    }
}
