using System.Numerics;

namespace ConvService.Domain.Pooling;

/// <summary>The per-plane loops of the mean poolings (avg, adaptive-avg), whose windows are the same on every plane.</summary>
internal static class MeanPlanes
{
    /// <summary>Each plane's window means into <paramref name="output"/> (divided by <paramref name="divisorOverride"/> when given).</summary>
    public static void Forward<T>(PoolGeometry geometry, ReadOnlySpan<T> input, Span<T> output, PoolWindows rows, PoolWindows cols, int? divisorOverride, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        geometry.CheckLengths(input.Length, output.Length);
        var (inLength, outLength) = (geometry.InputPlaneLength, geometry.OutputPlaneLength);
        for (var p = 0; p < geometry.Planes; p++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            MeanWindows.Forward(input.Slice(p * inLength, inLength), geometry.Axes[1].Input, rows, cols, divisorOverride, output.Slice(p * outLength, outLength));
        }
    }

    /// <summary>Overwrites <paramref name="gradInput"/> with each window's share of its gradient, plane by plane.</summary>
    public static void Backward<T>(PoolGeometry geometry, ReadOnlySpan<T> gradOutput, Span<T> gradInput, PoolWindows rows, PoolWindows cols, int? divisorOverride, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        geometry.CheckLengths(gradInput.Length, gradOutput.Length, nameof(gradInput), nameof(gradOutput));
        var (inLength, outLength) = (geometry.InputPlaneLength, geometry.OutputPlaneLength);
        gradInput.Clear();
        for (var p = 0; p < geometry.Planes; p++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            MeanWindows.Backward(gradOutput.Slice(p * outLength, outLength), geometry.Axes[1].Input, rows, cols, divisorOverride, gradInput.Slice(p * inLength, inLength));
        }
    }
}
