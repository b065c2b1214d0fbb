using System.Numerics;

namespace ConvService.Domain.Pooling;

/// <summary>PyTorch's <c>avg_pool2d</c> over NCHW planes, and its gradient.</summary>
public static class AvgPool2d
{
    /// <summary>
    /// <c>out[p,i,j] = Σ in[p, i·sH − padH + a, j·sW − padW + b] / divisor</c> over the cells inside the input (the
    /// padding is 0). The divisor is divisorOverride if given, else the window clipped to the padded input when
    /// countIncludePad, else the number of input cells in the window.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A span's length does not match <paramref name="geometry"/>.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; polled per plane.</exception>
    public static void Forward<T>(PoolGeometry geometry, ReadOnlySpan<T> input, Span<T> output, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (rows, cols) = Windows(geometry);
        MeanPlanes.Forward(geometry, input, output, rows, cols, geometry.DivisorOverride, cancellationToken);
    }

    /// <summary><c>gradIn[p,h,w] = Σ gradOut[p,i,j] / divisor(i,j)</c> over the windows holding (h, w).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A span's length does not match <paramref name="geometry"/>.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; polled per plane.</exception>
    public static void Backward<T>(PoolGeometry geometry, ReadOnlySpan<T> gradOutput, Span<T> gradInput, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (rows, cols) = Windows(geometry);
        MeanPlanes.Backward(geometry, gradOutput, gradInput, rows, cols, geometry.DivisorOverride, cancellationToken);
    }

    internal static (PoolWindows Rows, PoolWindows Cols) Windows(PoolGeometry geometry) =>
        (PoolWindows.Sliding(geometry.Axes[0], geometry.CountIncludePad), PoolWindows.Sliding(geometry.Axes[1], geometry.CountIncludePad));
}
