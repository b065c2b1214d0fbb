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
        var length = layout.PaddedWidth + layout.AccLength + 2 * cols.Count;
        var rented = length > StackElements ? TensorPool<T>.Shared.Rent(length) : null;
        var scratch = rented is null ? stackalloc T[StackElements] : rented.AsSpan();
        try
        {
            var padded = scratch[..layout.PaddedWidth];
            padded.Clear();
            var acc = scratch.Slice(layout.PaddedWidth, layout.AccLength);
            var extents = scratch.Slice(layout.PaddedWidth + layout.AccLength, cols.Count);
            var divisors = scratch.Slice(layout.PaddedWidth + layout.AccLength + cols.Count, cols.Count);
            Extents(cols, extents);
            for (var i = 0; i < rows.Count; i++)
            {
                acc.Clear();
                for (var h = rows.Begin[i]; h < rows.End[i]; h++)
                    RowMath.FoldWindows<T, AddOp<T>>(acc, layout.Row(plane, width, h, padded), layout.Kernel);
                var outRow = output.Slice(i * cols.Count, cols.Count);
                for (var j = 0; j < outRow.Length; j++)
                    outRow[j] = acc[cols.Start[j] + layout.PadLeft];
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
    internal static void Extents<T>(PoolWindows cols, Span<T> extents) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var j = 0; j < extents.Length; j++)
            extents[j] = T.CreateTruncating(cols.Extent[j]);
    }

    /// <summary>
    /// The divisors of one output row: the override, else <c>rowExtent · colExtent[j]</c>, a product of integers that
    /// rounds once, as converting the integer product does.
    /// </summary>
    internal static void Divisors<T>(int rowExtent, ReadOnlySpan<T> extents, int? divisorOverride, Span<T> divisors) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (divisorOverride is { } fixedDivisor)
        {
            divisors.Fill(T.CreateTruncating(fixedDivisor));
            return;
        }
        divisors.Fill(T.CreateTruncating(rowExtent));
        RowMath.Apply<T, MultiplyOp<T>>(divisors, extents);
    }
}
