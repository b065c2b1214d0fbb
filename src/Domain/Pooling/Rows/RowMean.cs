using System.Numerics;
using System.Runtime.CompilerServices;
using ConvService.Domain.Pooling.Reductions;
using ConvService.Domain.Pooling.Windows;

namespace ConvService.Domain.Pooling.Rows;

/// <summary>
/// Mean pooling of one plane a whole output row at a time, and its gradient: each window summed in row-major order,
/// and each cell's shares added in window order, as the scalar loops do.
/// </summary>
internal static class RowMean
{
    /// <summary>
    /// As <see cref="MeanReduction{T}.Reduce"/> for windows whose columns <paramref name="layout"/> describes and that all
    /// hold cells; an output row sums its runs of input rows one after another into the same accumulator.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<T>(ReadOnlySpan<T> plane, PlaneWindows windows, RowLayout layout, int? divisorOverride, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (cols, width) = (windows.Columns, windows.Width);
        var paddedLength = layout.PaddedLength(plane.Length, width);
        var rented = RowScratch.RentAbove<T>(paddedLength + layout.AccLength + 2 * cols.Count);
        var scratch = rented is null ? stackalloc T[RowScratch.StackElements] : rented;
        try
        {
            var source = layout.Source(plane, width, scratch[..paddedLength], T.Zero, out var stride);
            var acc = scratch.Slice(paddedLength, layout.AccLength);
            var extents = scratch.Slice(paddedLength + layout.AccLength, cols.Count);
            var divisors = scratch.Slice(paddedLength + layout.AccLength + cols.Count, cols.Count);
            Extents(cols, extents);
            for (var i = 0; i < windows.RowCount; i++)
            {
                var runs = windows.RunsOf(i);
                for (var k = 0; k < runs.Length; k++)
                    RowMath.FoldBlock<T, AddOp<T>>(acc, source[(runs[k].First * stride)..], stride, runs[k].Count, layout.Kernel, T.Zero, resume: k > 0);
                var outRow = output.Slice(i * cols.Count, cols.Count);
                RowPick.At(acc, cols.Start, layout.PadLeft, outRow);
                if (i == 0 || windows.RowExtent(i) != windows.RowExtent(i - 1))
                    Divisors(windows.RowExtent(i), extents, divisorOverride, divisors);
                RowMath.Apply<T, DivideOp<T>>(outRow, divisors);
            }
        }
        finally
        {
            RowScratch.Return(rented);
        }
    }

    /// <summary>
    /// As <see cref="MeanReduction{T}.Spread"/> for windows whose columns <paramref name="layout"/> describes, that all
    /// hold cells and start at distinct columns. Each output row's shares are laid at their windows' start columns; a
    /// cell of each of the row's input rows then takes tap <c>t = k − 1 … 0</c>, i.e. the windows covering it in
    /// ascending order, as the scalar loop adds them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward<T>(ReadOnlySpan<T> gradOutput, PlaneWindows windows, RowLayout layout, int? divisorOverride, Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (cols, width) = (windows.Columns, windows.Width);
        var origin = layout.Kernel;
        var spreadLength = origin + layout.PaddedWidth + width;
        var rented = RowScratch.RentAbove<T>(spreadLength + 3 * cols.Count);
        var scratch = rented is null ? stackalloc T[RowScratch.StackElements] : rented;
        try
        {
            var spread = scratch[..spreadLength];
            var extents = scratch.Slice(spreadLength, cols.Count);
            var shares = scratch.Slice(spreadLength + cols.Count, cols.Count);
            var divisors = scratch.Slice(spreadLength + 2 * cols.Count, cols.Count);
            Extents(cols, extents);
            for (var i = 0; i < windows.RowCount; i++)
            {
                if (i == 0 || windows.RowExtent(i) != windows.RowExtent(i - 1))
                    Divisors(windows.RowExtent(i), extents, divisorOverride, divisors);
                gradOutput.Slice(i * cols.Count, cols.Count).CopyTo(shares);
                RowMath.Apply<T, DivideOp<T>>(shares, divisors);
                spread.Clear();
                for (var j = 0; j < shares.Length; j++)
                    spread[origin + layout.PadLeft + cols.Start[j]] = shares[j];
                foreach (var run in windows.RunsOf(i))
                {
                    for (var h = run.First; h < run.First + run.Count; h++)
                    {
                        var cells = gradInput.Slice(h * width, width);
                        for (var t = layout.Kernel - 1; t >= 0; t--)
                            RowMath.Apply<T, AddOp<T>>(cells, spread.Slice(origin + layout.PadLeft - t, width));
                    }
                }
            }
        }
        finally
        {
            RowScratch.Return(rented);
        }
    }

    /// <summary>Each column window's extent in <typeparamref name="T"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Extents<T>(AxisWindows cols, Span<T> extents) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var j = 0; j < extents.Length; j++)
            extents[j] = T.CreateTruncating(cols.Extent[j]);
    }

    /// <summary>
    /// The divisors of one output row: the override, else <c>rowExtent · colExtent[j]</c>, a product of integers that
    /// rounds once, as converting the integer product does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Divisors<T>(long rowExtent, ReadOnlySpan<T> extents, int? divisorOverride, Span<T> divisors) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rows = T.CreateTruncating(rowExtent);
        for (var j = 0; j < divisors.Length; j++)
            divisors[j] = divisorOverride is { } fixedDivisor ? T.CreateTruncating(fixedDivisor) : rows * extents[j];
    }
}
