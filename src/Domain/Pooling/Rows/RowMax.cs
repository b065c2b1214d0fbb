using System.Numerics;
using System.Runtime.CompilerServices;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Pooling.Rows;

/// <summary>Max pooling of one plane a whole output row at a time: every window of the row is folded at once, tap by tap, in row-major tap order.</summary>
internal static class RowMax
{
    /// <summary>Scratch up to this many elements lives on the stack; larger rows rent from <see cref="TensorPool{T}"/>.</summary>
    private const int StackElements = 1024;

    /// <summary>
    /// As <see cref="MaxWindows.Forward{T}"/> for windows that <paramref name="layout"/> describes; positions are
    /// tracked only when <paramref name="indices"/> is not empty.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<T>(ReadOnlySpan<T> plane, int width, PoolWindows rows, PoolWindows cols, RowLayout layout, Span<T> output, Span<int> indices)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var length = layout.PaddedWidth + 2 * layout.AccLength;
        var rented = length > StackElements ? TensorPool<T>.Shared.Rent(length) : null;
        var scratch = rented is null ? stackalloc T[StackElements] : rented.AsSpan();
        try
        {
            var padded = scratch[..layout.PaddedWidth];
            padded.Fill(T.NegativeInfinity);
            var acc = scratch.Slice(layout.PaddedWidth, layout.AccLength);
            var at = scratch.Slice(layout.PaddedWidth + layout.AccLength, layout.AccLength);
            var numbers = indices.IsEmpty && NumberMaxOp<T>.IsExact && !RowMath.HasNaN(plane);
            for (var i = 0; i < rows.Count; i++)
            {
                acc.Fill(T.NegativeInfinity);
                at.Fill(-T.One);
                for (var h = rows.Begin[i]; h < rows.End[i]; h++)
                {
                    var row = layout.Row(plane, width, h, padded);
                    if (numbers)
                        RowMath.FoldWindows<T, NumberMaxOp<T>>(acc, row, layout.Kernel);
                    else if (indices.IsEmpty)
                        RowMath.FoldWindows<T, MaxOp<T>>(acc, row, layout.Kernel);
                    else
                        IndexedMax.Fold(acc, at, row, layout.Kernel, h * width - layout.PadLeft);
                }
                Pick(acc, at, cols, layout.PadLeft, rows.Begin[i] * width, output.Slice(i * cols.Count, cols.Count), indices.IsEmpty ? indices : indices.Slice(i * cols.Count, cols.Count));
            }
        }
        finally
        {
            if (rented is not null)
                TensorPool<T>.Shared.Return(rented);
        }
    }

    // A window whose taps are all −∞ never replaces the initial −∞; PyTorch then reports its first tap.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pick<T>(ReadOnlySpan<T> acc, ReadOnlySpan<T> at, PoolWindows cols, int padLeft, int firstRow, Span<T> output, Span<int> indices)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var j = 0; j < output.Length; j++)
            output[j] = acc[cols.Start[j] + padLeft];
        for (var j = 0; j < indices.Length; j++)
        {
            var position = int.CreateTruncating(at[cols.Start[j] + padLeft]);
            indices[j] = position >= 0 ? position : firstRow + cols.Begin[j];
        }
    }
}
