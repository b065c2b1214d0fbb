using System.Buffers;
using System.Numerics;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// The forward pass as <see cref="VirtualGemm{T, V}"/> per image and group: <c>Y[Cout/g × pixels] = W[Cout/g × K] · X̂[K × pixels]</c>,
/// K = C/groups·Π k, with W read in place when its rows fill whole tiles (else packed), the im2col matrix X̂ read in place from the padded input, or gathered panel by panel where
/// the virtual pixels would waste more than the gathering costs (kernels overhanging many columns). A strided convolution
/// runs over the input split by stride phase (<see cref="StridePhases"/>), whose virtual pixels are its outputs again;
/// a zero-padded 2-D one at stride 1 over the input laid out with its rows sharing their zeros (<see cref="CompactPadding"/>),
/// a zero-padded 1-D one over its unpadded rows where they lie, its few edge outputs apart (<see cref="InteriorRows"/>).
/// </summary>
internal static unsafe class ForwardPass
{
    public static void Run<T, V>(ConvGeometry g, ReadOnlySpan<T> padded, ReadOnlySpan<T> kernel, ReadOnlySpan<T> bias, Span<T> output, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T> =>
        Run<T, V>(g, padded, isPadded: true, kernel, bias, output, cancellationToken);

    /// <summary>
    /// The forward pass of a zero-padded convolution over its unpadded <paramref name="input"/> (N, C, sizes…), where
    /// <see cref="StridePhases.Helps"/> (the stride-phase split writes the padding's zeros itself) or
    /// <see cref="CompactPadding.Fits"/> (laid out with rows sharing their zeros), or <see cref="InteriorRows.Takes"/>.
    /// </summary>
    public static void RunZeroPadded<T, V>(ConvGeometry g, ReadOnlySpan<T> input, ReadOnlySpan<T> kernel, ReadOnlySpan<T> bias, Span<T> output, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        if (!StridePhases.Helps(g) && !CompactPadding.Fits(g) && !InteriorRows.Takes(g))
            throw new ArgumentException("only a convolution split by stride phase, compactly padded or 1-D reads its input unpadded", nameof(g));
        Run<T, V>(g, input, isPadded: false, kernel, bias, output, cancellationToken);
    }

    private static void Run<T, V>(ConvGeometry g, ReadOnlySpan<T> padded, bool isPadded, ReadOnlySpan<T> kernel, ReadOnlySpan<T> bias, Span<T> output, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        // Strided: run over the input split by stride phase, where every axis steps by one (see StridePhases). Unpadded
        // at stride 1: over the input laid out with rows sharing their zeros (see CompactPadding).
        var phases = StridePhases.Helps(g);
        // Unpadded 1-D rows are read where they lie, but for their edge outputs (see InteriorRows).
        var interior = !isPadded && !phases && InteriorRows.Takes(g);
        var compact = !isPadded && !phases && !interior;
        var length = phases ? StridePhases.Length(g) : compact ? CompactPadding.Length(g) : 0;
        // The input as the GEMM reads it: split by phase or laid out compactly (a rented copy), else the caller's padded input.
        var laidOut = phases || compact ? TensorPool<T>.Shared.Rent((int)length) : null;
        if (phases)
        {
            if (isPadded)
                StridePhases.Split<T, V>(padded, g, laidOut!, byBands: true);
            else
                StridePhases.SplitZeroPadded<T, V>(padded, g, laidOut!, byBands: true);
        }
        else if (compact)
        {
            CompactPadding.Lay<T, V>(padded, g, laidOut.AsSpan(0, (int)length));
        }
        if (laidOut != null)
            padded = laidOut.AsSpan(0, (int)length);
        var grid = phases ? StridePhases.Grid(g) : compact ? CompactPadding.Grid(g) : interior ? InteriorRows.Grid(g) : PixelGrid.Of(g);
        var (rows, depth) = (g.OutChannelsPerGroup, g.InChannelsPerGroup * g.Windows.KernelCells);
        var dense = VirtualGemm<T, V>.PrefersDense(grid, rows, g.Batch * g.Groups, g.MultiplyAdds, gather: true);
        var offsets = ArrayPool<int>.Shared.Rent(depth);
        // Rows that fill whole tiles read the kernel where it lies; a ragged last panel needs packing's zero rows.
        var inPlace = rows % GemmTile.Rows == 0;
        var packed = inPlace ? null : TensorPool<T>.Shared.Rent(WeightPanels.Length(g.Groups, rows, depth));
        try
        {
            if (phases)
                StridePhases.TapOffsets(g, offsets);
            else if (compact)
                CompactPadding.TapOffsets(g, offsets);
            else if (interior)
                PixelGrid.TapOffsets(g, grid.PlaneLength, offsets);
            else
                PixelGrid.TapOffsets(g, offsets);
            fixed (T* x = padded, w = kernel, b = bias, y = output, a = packed)
            fixed (int* o = offsets)
            {
                if (!inPlace)
                    WeightPanels.Pack(w, g.Groups, rows, depth, (long)rows * depth, depth, 1, a);
                var operands = new GemmOperands<T>
                {
                    A = inPlace ? w : a, ALayout = inPlace ? WeightLayout.RowMajor : WeightLayout.Panels, B = x, BEnd = x + padded.Length, BStride = (long)g.InChannelsPerGroup * grid.PlaneLength, Offsets = o, Rows = rows, Depth = depth,
                    Destination = interior ? y + InteriorRows.Interior(g.Axes[0]).First : y, OutputPlane = interior ? g.Axes[0].Output : 0, Bias = bias.IsEmpty ? null : b,
                    Dense = dense, Gather = dense,
                };
                new VirtualGemm<T, V>(operands, grid, g.Batch * g.Groups, g.Groups, 0, g.MultiplyAdds, cancellationToken).Run();
            }
            if (interior)
                InteriorRows.Edges<T, V>(g, padded, kernel, bias, output);
        }
        finally
        {
            if (packed != null)
                TensorPool<T>.Shared.Return(packed);
            if (laidOut != null)
                TensorPool<T>.Shared.Return(laidOut);
            ArrayPool<int>.Shared.Return(offsets);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }
}
