using System.Numerics;

namespace ConvService.Domain.Pooling;

/// <summary>PyTorch's <c>adaptive_avg_pool2d</c> over NCHW planes, and its gradient.</summary>
public static class AdaptiveAvgPool2d
{
    /// <summary>
    /// <c>out[p,i,j]</c> = the mean of <c>in[p, h, w]</c> over <c>h ∈ [floor(i·H/Ho), ceil((i+1)·H/Ho))</c> and likewise w.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A span's length does not match <paramref name="geometry"/>.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; polled per plane.</exception>
    public static void Forward<T>(PoolGeometry geometry, ReadOnlySpan<T> input, Span<T> output, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (rows, cols) = Windows(geometry);
        MeanPlanes.Forward(geometry, input, output, rows, cols, null, cancellationToken);
    }

    /// <summary><c>gradIn[p,h,w] = Σ gradOut[p,i,j] / (window i height · window j width)</c> over the windows holding (h, w).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A span's length does not match <paramref name="geometry"/>.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; polled per plane.</exception>
    public static void Backward<T>(PoolGeometry geometry, ReadOnlySpan<T> gradOutput, Span<T> gradInput, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (rows, cols) = Windows(geometry);
        MeanPlanes.Backward(geometry, gradOutput, gradInput, rows, cols, null, cancellationToken);
    }

    private static (PoolWindows Rows, PoolWindows Cols) Windows(PoolGeometry geometry) =>
        (PoolWindows.Adaptive(geometry.Axes[0].Input, geometry.Axes[0].Output), PoolWindows.Adaptive(geometry.Axes[1].Input, geometry.Axes[1].Output));
}
