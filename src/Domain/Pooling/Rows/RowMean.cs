using System.Numerics;
using System.Runtime.CompilerServices;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Pooling.Rows;

/// <summary>Mean pooling of one plane a whole output row at a time, summing each window in row-major order as the scalar loop does.</summary>
internal static class RowMean
{
    private const int StackElements = 1024;

    /// <summary>As <see cref="MeanWindows.Forward{T}"/> for windows that <paramref name="layout"/> describes and that all hold cells.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<T>(ReadOnlySpan<T> plane, int width, PoolWindows rows, PoolWindows cols, RowLayout layout, int? divisorOverride, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var paddedLength = layout.ReadsInPlace(width) ? 0 : plane.Length / width * layout.PaddedWidth;
        var length = paddedLength + layout.AccLength + 2 * cols.Count;
        var rented = length > StackElements ? TensorPool<T>.Shared.Rent(length) : null;
        var scratch = rented is null ? stackalloc T[StackElements] : rented.AsSpan();
        try
        {
            ReadOnlySpan<T> source = paddedLength == 0 ? plane : scratch[..paddedLength];
            var stride = paddedLength == 0 ? width : layout.PaddedWidth;
            if (paddedLength > 0)
                layout.Pad(plane, width, scratch[..paddedLength], T.Zero);
            var acc = scratch.Slice(paddedLength, layout.AccLength);
            var extents = scratch.Slice(paddedLength + layout.AccLength, cols.Count);
            var divisors = scratch.Slice(paddedLength + layout.AccLength + cols.Count, cols.Count);
            Extents(cols, extents);
            for (var i = 0; i < rows.Count; i++)
            {
                RowMath.FoldBlock<T, AddOp<T>>(acc, source[(rows.Begin[i] * stride)..], stride, rows.End[i] - rows.Begin[i], layout.Kernel, T.Zero);
                var outRow = output.Slice(i * cols.Count, cols.Count);
                RowPick.At(acc, cols.Start, layout.PadLeft, outRow);
                if (i == 0 || rows.Extent[i] != rows.Extent[i - 1])
                    Divisors(rows.Extent[i], extents, divisorOverride, divisors);
                RowMath.Apply<T, DivideOp<T>>(outRow, divisors);
            }
        }
        finally
        {
            if (rented is not null)
                TensorPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>Each column window's extent in <typeparamref name="T"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Extents<T>(PoolWindows cols, Span<T> extents) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var j = 0; j < extents.Length; j++)
            extents[j] = T.CreateTruncating(cols.Extent[j]);
    }

    /// <summary>
    /// The divisors of one output row: the override, else <c>rowExtent · colExtent[j]</c>, a product of integers that
    /// rounds once, as converting the integer product does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Divisors<T>(int rowExtent, ReadOnlySpan<T> extents, int? divisorOverride, Span<T> divisors) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rows = T.CreateTruncating(rowExtent);
        for (var j = 0; j < divisors.Length; j++)
            divisors[j] = divisorOverride is { } fixedDivisor ? T.CreateTruncating(fixedDivisor) : rows * extents[j];
    }
}
