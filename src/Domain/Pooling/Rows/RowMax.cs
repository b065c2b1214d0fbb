using System.Numerics;
using System.Runtime.CompilerServices;
using ConvService.Domain.Pooling.Reductions;
using ConvService.Domain.Pooling.Windows;

namespace ConvService.Domain.Pooling.Rows;

/// <summary>Max pooling of one plane a whole output row at a time: every window of the row is folded at once, in row-major tap order.</summary>
internal static class RowMax
{
    /// <summary>
    /// As <see cref="MaxReduction{T}.Reduce"/> for windows whose columns <paramref name="layout"/> describes; positions
    /// are tracked only when <paramref name="indices"/> is not empty. Planes without NaN take <see cref="NumberMaxOp{T}"/>.
    /// An output row folds its runs of input rows one after another into the same accumulator, in row-major tap order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<T>(ReadOnlySpan<T> plane, PlaneWindows windows, RowLayout layout, Span<T> output, Span<int> indices)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (cols, width) = (windows.Columns, windows.Width);
        var paddedLength = layout.PaddedLength(plane.Length, width);
        var rented = RowScratch.RentAbove<T>(paddedLength + 2 * layout.AccLength);
        var scratch = rented is null ? stackalloc T[RowScratch.StackElements] : rented;
        try
        {
            var source = layout.Source(plane, width, scratch[..paddedLength], T.NegativeInfinity, out var stride);
            var acc = scratch.Slice(paddedLength, layout.AccLength);
            var at = scratch.Slice(paddedLength + layout.AccLength, layout.AccLength);
            var numbers = indices.IsEmpty && NumberMaxOp<T>.IsExact && !RowScan.HasNaN(plane);
            for (var i = 0; i < windows.RowCount; i++)
            {
                var runs = windows.RunsOf(i);
                for (var k = 0; k < runs.Length; k++)
                {
                    var (first, count, resume) = (runs[k].First, runs[k].Count, k > 0);
                    var block = source[(first * stride)..];
                    if (numbers)
                        RowMath.FoldBlock<T, NumberMaxOp<T>>(acc, block, stride, count, layout.Kernel, T.NegativeInfinity, resume);
                    else if (indices.IsEmpty)
                        RowMath.FoldBlock<T, MaxOp<T>>(acc, block, stride, count, layout.Kernel, T.NegativeInfinity, resume);
                    else
                        IndexedMax.Fold(acc, at, block, stride, count, layout.Kernel, first * width - layout.PadLeft, width, resume);
                }
                RowPick.At(acc, cols.Start, layout.PadLeft, output.Slice(i * cols.Count, cols.Count));
                if (!indices.IsEmpty)
                    PickIndices(at, cols, layout.PadLeft, runs[0].First * width, indices.Slice(i * cols.Count, cols.Count));
            }
        }
        finally
        {
            RowScratch.Return(rented);
        }
    }

    // A window whose taps are all −∞ never replaces the initial −∞; PyTorch then reports its first tap.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PickIndices<T>(ReadOnlySpan<T> at, AxisWindows cols, int padLeft, int firstRow, Span<int> indices)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var j = 0; j < indices.Length; j++)
        {
            var position = int.CreateTruncating(at[cols.Start[j] + padLeft]);
            indices[j] = position >= 0 ? position : firstRow + cols.Begin[j];
        }
    }
}
