using System.Numerics;

namespace ConvService.Domain.Pooling;

/// <summary>PyTorch's <c>adaptive_max_pool2d</c> over NCHW planes, and its gradient.</summary>
public static class AdaptiveMaxPool2d
{
    /// <summary>
    /// <c>out[p,i,j] = max in[p, h, w]</c> over <c>h ∈ [floor(i·H/Ho), ceil((i+1)·H/Ho))</c> and likewise w;
    /// <paramref name="indices"/> (unless empty) gets each maximum's flat position <c>h·W + w</c>. Ties go to the first in row-major order; NaN propagates.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A span's length does not match <paramref name="geometry"/>.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; polled per plane.</exception>
    public static void Forward<T>(PoolGeometry geometry, ReadOnlySpan<T> input, Span<T> output, Span<int> indices, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (rows, cols) = Windows(geometry);
        MaxForward.Run(geometry, input, output, indices, rows, cols, cancellationToken);
    }

    /// <summary><c>gradIn</c> = each <c>gradOut[p,i,j]</c> added at its window's argmax (recomputed from <paramref name="input"/>); zero elsewhere.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A span's length does not match <paramref name="geometry"/>.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; polled per plane.</exception>
    public static void Backward<T>(PoolGeometry geometry, ReadOnlySpan<T> input, ReadOnlySpan<T> gradOutput, Span<T> gradInput, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (rows, cols) = Windows(geometry);
        MaxBackward.Run(geometry, input, gradOutput, gradInput, _ => (rows, cols), cancellationToken);
    }

    private static (PoolWindows Rows, PoolWindows Cols) Windows(PoolGeometry geometry) =>
        (PoolWindows.Adaptive(geometry.Axes[0].Input, geometry.Axes[0].Output), PoolWindows.Adaptive(geometry.Axes[1].Input, geometry.Axes[1].Output));
}
