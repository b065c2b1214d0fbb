using System.Numerics;
using ConvService.Domain.Pooling.Rows;

namespace ConvService.Domain.Pooling;

/// <summary>The mean reduction over one plane's windows, shared by avg, lp and adaptive-avg pooling.</summary>
internal static class MeanWindows
{
    /// <summary>
    /// <c>out[i,j] = Σ window / divisor</c>, the divisor being <paramref name="divisorOverride"/> or
    /// <c>rows.Extent[i]·cols.Extent[j]</c>; a window with no cells gives 0, as PyTorch's avg_pool2d. Whole rows at a
    /// time (<see cref="RowMean"/>) where the windows allow, else <see cref="ScalarForward{T}"/>.
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> plane, int width, PoolWindows rows, PoolWindows cols, int? divisorOverride, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (width > 0 && RowLayout.Of(rows, cols, plane.Length / width, width) is { } layout)
            RowMean.Forward(plane, width, rows, cols, layout, divisorOverride, output);
        else
            ScalarForward(plane, width, rows, cols, divisorOverride, output);
    }

    /// <summary>The plain loop over every window and cell; the reference for the row kernels.</summary>
    internal static void ScalarForward<T>(ReadOnlySpan<T> plane, int width, PoolWindows rows, PoolWindows cols, int? divisorOverride, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < rows.Count; i++)
        {
            for (var j = 0; j < cols.Count; j++)
            {
                var sum = T.Zero;
                for (var h = rows.Begin[i]; h < rows.End[i]; h++)
                {
                    foreach (var value in plane.Slice(h * width + cols.Begin[j], cols.End[j] - cols.Begin[j]))
                        sum += value;
                }
                var empty = rows.Begin[i] >= rows.End[i] || cols.Begin[j] >= cols.End[j];
                output[i * cols.Count + j] = empty ? T.Zero : sum / Divisor<T>(rows, cols, i, j, divisorOverride);
            }
        }
    }

    /// <summary>
    /// Spreads each output gradient over its window: <c>gradIn[h,w] += gradOut[i,j] / divisor</c>. Whole rows at a
    /// time (<see cref="RowMeanBackward"/>) where the windows allow, else <see cref="ScalarBackward{T}"/>.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> gradOutput, int width, PoolWindows rows, PoolWindows cols, int? divisorOverride, Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (width > 0 && RowLayout.StartsDistinct(cols) && RowLayout.Of(rows, cols, gradInput.Length / width, width) is { } layout)
            RowMeanBackward.Run(gradOutput, width, rows, cols, layout, divisorOverride, gradInput);
        else
            ScalarBackward(gradOutput, width, rows, cols, divisorOverride, gradInput);
    }

    /// <summary>The plain loop over every window and cell; the reference for the row kernels.</summary>
    internal static void ScalarBackward<T>(ReadOnlySpan<T> gradOutput, int width, PoolWindows rows, PoolWindows cols, int? divisorOverride, Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < rows.Count; i++)
        {
            for (var j = 0; j < cols.Count; j++)
            {
                if (rows.Begin[i] >= rows.End[i] || cols.Begin[j] >= cols.End[j])
                    continue;
                var share = gradOutput[i * cols.Count + j] / Divisor<T>(rows, cols, i, j, divisorOverride);
                for (var h = rows.Begin[i]; h < rows.End[i]; h++)
                {
                    foreach (ref var cell in gradInput.Slice(h * width + cols.Begin[j], cols.End[j] - cols.Begin[j]))
                        cell += share;
                }
            }
        }
    }

    private static T Divisor<T>(PoolWindows rows, PoolWindows cols, int i, int j, int? divisorOverride) where T : unmanaged, IFloatingPointIeee754<T> =>
        T.CreateTruncating(divisorOverride ?? (long)rows.Extent[i] * cols.Extent[j]);
}
