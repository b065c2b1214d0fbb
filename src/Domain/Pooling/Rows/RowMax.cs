using System.Numerics;
using System.Runtime.CompilerServices;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Pooling.Rows;

/// <summary>Max pooling of one plane a whole output row at a time: every window of the row is folded at once, in row-major tap order.</summary>
internal static class RowMax
{
    /// <summary>Scratch up to this many elements lives on the stack; larger planes rent from <see cref="TensorPool{T}"/>.</summary>
    private const int StackElements = 1024;

    /// <summary>
    /// As <see cref="MaxWindows.Forward{T}"/> for windows that <paramref name="layout"/> describes; positions are
    /// tracked only when <paramref name="indices"/> is not empty. Planes without NaN take <see cref="NumberMaxOp{T}"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<T>(ReadOnlySpan<T> plane, int width, PoolWindows rows, PoolWindows cols, RowLayout layout, Span<T> output, Span<int> indices)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var paddedLength = layout.ReadsInPlace(width) ? 0 : plane.Length / width * layout.PaddedWidth;
        var length = paddedLength + 2 * layout.AccLength;
        var rented = length > StackElements ? TensorPool<T>.Shared.Rent(length) : null;
        var scratch = rented is null ? stackalloc T[StackElements] : rented.AsSpan();
        try
        {
            ReadOnlySpan<T> source = paddedLength == 0 ? plane : scratch[..paddedLength];
            var stride = paddedLength == 0 ? width : layout.PaddedWidth;
            if (paddedLength > 0)
                layout.Pad(plane, width, scratch[..paddedLength], T.NegativeInfinity);
            var acc = scratch.Slice(paddedLength, layout.AccLength);
            var at = scratch.Slice(paddedLength + layout.AccLength, layout.AccLength);
            var numbers = indices.IsEmpty && NumberMaxOp<T>.IsExact && !RowScan.HasNaN(plane);
            for (var i = 0; i < rows.Count; i++)
            {
                var (first, count) = (rows.Begin[i], rows.End[i] - rows.Begin[i]);
                var block = source[(first * stride)..];
                if (numbers)
                    RowMath.FoldBlock<T, NumberMaxOp<T>>(acc, block, stride, count, layout.Kernel, T.NegativeInfinity);
                else if (indices.IsEmpty)
                    RowMath.FoldBlock<T, MaxOp<T>>(acc, block, stride, count, layout.Kernel, T.NegativeInfinity);
                else
                    IndexedMax.Fold(acc, at, block, stride, count, layout.Kernel, first * width - layout.PadLeft, width);
                RowPick.At(acc, cols.Start, layout.PadLeft, output.Slice(i * cols.Count, cols.Count));
                if (!indices.IsEmpty)
                    PickIndices(at, cols, layout.PadLeft, first * width, indices.Slice(i * cols.Count, cols.Count));
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
    private static void PickIndices<T>(ReadOnlySpan<T> at, PoolWindows cols, int padLeft, int firstRow, Span<int> indices)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var j = 0; j < indices.Length; j++)
        {
            var position = int.CreateTruncating(at[cols.Start[j] + padLeft]);
            indices[j] = position >= 0 ? position : firstRow + cols.Begin[j];
        }
    }
}
