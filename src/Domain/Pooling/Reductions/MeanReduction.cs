using System.Numerics;
using ConvService.Domain.Pooling.Rows;
using ConvService.Domain.Pooling.Windows;

namespace ConvService.Domain.Pooling.Reductions;

/// <summary>
/// The mean reduction of avg and adaptive-avg pooling (and, over x^p, of lp): each window's sum over its divisor,
/// the divisor being <c>divisorOverride</c> when given, else the product of the window's extents along every axis.
/// </summary>
internal sealed class MeanReduction<T>(int? divisorOverride) : IPoolReduction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public void Forward(ReadOnlySpan<T> plane, PlaneWindows windows, Span<T> output, Span<int> indices) => Reduce(plane, windows, divisorOverride, output);

    public void Backward(ReadOnlySpan<T> plane, PlaneWindows windows, ReadOnlySpan<T> gradOutput, Span<T> gradInput) => Spread(gradOutput, windows, divisorOverride, gradInput);

    public void Dispose()
    {
    }

    /// <summary>
    /// <c>out[r, j] = Σ window / divisor</c>, the sum taken in row-major window order from zero; a window with no
    /// cells gives 0, as PyTorch's avg_pool. Whole rows at a time (<see cref="RowMean"/>) where the windows allow,
    /// else <see cref="ScalarForward"/>.
    /// </summary>
    internal static void Reduce(ReadOnlySpan<T> plane, PlaneWindows windows, int? divisorOverride, Span<T> output)
    {
        if (RowLayout.Of(windows) is { } layout)
            RowMean.Forward(plane, windows, layout, divisorOverride, output);
        else
            ScalarForward(plane, windows, divisorOverride, output);
    }

    /// <summary>The plain loop over every window and cell; the reference for the row kernels.</summary>
    internal static void ScalarForward(ReadOnlySpan<T> plane, PlaneWindows windows, int? divisorOverride, Span<T> output)
    {
        for (var k = 0; k < output.Length; k++)
        {
            var sum = T.Zero;
            foreach (var (offset, taps) in windows.CellsOf(k))
            {
                foreach (var value in plane.Slice(offset, taps))
                    sum += value;
            }
            output[k] = windows.HoldsCells(k) ? sum / Divisor(windows, k, divisorOverride) : T.Zero;
        }
    }

    /// <summary>
    /// Spreads each output gradient over its window: <c>gradIn[cell] += gradOut[r, j] / divisor</c>, in output order.
    /// Whole rows at a time (<see cref="RowMean.Backward{T}"/>) where the windows allow, else <see cref="ScalarBackward"/>.
    /// </summary>
    internal static void Spread(ReadOnlySpan<T> gradOutput, PlaneWindows windows, int? divisorOverride, Span<T> gradInput)
    {
        if (RowLayout.StartsDistinct(windows.Columns) && RowLayout.Of(windows) is { } layout)
            RowMean.Backward(gradOutput, windows, layout, divisorOverride, gradInput);
        else
            ScalarBackward(gradOutput, windows, divisorOverride, gradInput);
    }

    /// <summary>The plain loop over every window and cell; the reference for the row kernels.</summary>
    internal static void ScalarBackward(ReadOnlySpan<T> gradOutput, PlaneWindows windows, int? divisorOverride, Span<T> gradInput)
    {
        for (var k = 0; k < gradOutput.Length; k++)
        {
            var share = windows.HoldsCells(k) ? gradOutput[k] / Divisor(windows, k, divisorOverride) : T.Zero;
            foreach (var (offset, taps) in windows.CellsOf(k))
            {
                foreach (ref var cell in gradInput.Slice(offset, taps))
                    cell += share;
            }
        }
    }

    private static T Divisor(PlaneWindows windows, int k, int? divisorOverride) =>
        T.CreateTruncating(divisorOverride ?? windows.Extent(k));
}
