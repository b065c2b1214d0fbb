using System.Numerics;
using System.Runtime.CompilerServices;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Pooling.Rows;

/// <summary>The gradient of mean pooling a whole output row at a time, adding into each cell in the scalar loop's order.</summary>
internal static class RowMeanBackward
{
    private const int StackElements = 1024;

    /// <summary>
    /// As <see cref="MeanWindows.Backward{T}"/> for windows that <paramref name="layout"/> describes, that all hold cells
    /// and start at distinct columns. Each output row's shares are laid at their windows' start columns; a cell then
    /// takes tap <c>t = k − 1 … 0</c>, i.e. the windows covering it in ascending order, as the scalar loop adds them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T>(ReadOnlySpan<T> gradOutput, int width, PoolWindows rows, PoolWindows cols, RowLayout layout, int? divisorOverride, Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var origin = layout.Kernel;
        var spreadLength = origin + layout.PaddedWidth + width;
        var length = spreadLength + 3 * cols.Count;
        var rented = length > StackElements ? TensorPool<T>.Shared.Rent(length) : null;
        var scratch = rented is null ? stackalloc T[StackElements] : rented.AsSpan();
        try
        {
            var spread = scratch[..spreadLength];
            var extents = scratch.Slice(spreadLength, cols.Count);
            var shares = scratch.Slice(spreadLength + cols.Count, cols.Count);
            var divisors = scratch.Slice(spreadLength + 2 * cols.Count, cols.Count);
            RowMean.Extents(cols, extents);
            for (var i = 0; i < rows.Count; i++)
            {
                if (i == 0 || rows.Extent[i] != rows.Extent[i - 1])
                    RowMean.Divisors(rows.Extent[i], extents, divisorOverride, divisors);
                gradOutput.Slice(i * cols.Count, cols.Count).CopyTo(shares);
                RowMath.Apply<T, DivideOp<T>>(shares, divisors);
                spread.Clear();
                for (var j = 0; j < shares.Length; j++)
                    spread[origin + layout.PadLeft + cols.Start[j]] = shares[j];
                for (var h = rows.Begin[i]; h < rows.End[i]; h++)
                {
                    var cells = gradInput.Slice(h * width, width);
                    for (var t = layout.Kernel - 1; t >= 0; t--)
                        RowMath.Apply<T, AddOp<T>>(cells, spread.Slice(origin + layout.PadLeft - t, width));
                }
            }
        }
        finally
        {
            if (rented is not null)
                TensorPool<T>.Shared.Return(rented);
        }
    }
}
