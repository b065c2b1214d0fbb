using System.Buffers;
using System.Numerics;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;
using System.Runtime.CompilerServices;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// The input gradient as col2im of a GEMM: <c>cols[K × pixels] = Wᵀ[K × Cout/g] · gradOutput[Cout/g × pixels]</c> over the
/// outputs, or over virtual pixels (gradOutput spread out to them) where those are hardly more numerous, row k =
/// (c, p…) then added into gradPadded channel c shifted by the tap's offset (<see cref="PixelGrid.TapOffsets(ConvGeometry, Span{int})"/>). Measured against a stride-1 forward pass of
/// the zero-spread gradient with the flipped kernel, it was as fast on S2–S3 and 2–3× faster where C/groups is small (S1, S4).
/// A strided convolution adds into the gradient split by stride phase (<see cref="StridePhases"/>) and merges it back.
/// </summary>
internal static unsafe class DataGradient
{
    public static void Run<T, V>(ConvGeometry g, ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> kernel, Span<T> gradPadded, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        if (FullConvolution.Helps<T, V>(g))
        {
            FullConvolution.Run<T, V>(g, gradOutput, kernel, gradPadded, cancellationToken);
            return;
        }
        Col2Im<T, V>(g, gradOutput, kernel, gradPadded, unpadded: false, cancellationToken);
    }

    /// <summary>
    /// Whether <see cref="RunUnpadded{T, V}"/> takes this input gradient: col2im split by stride phase (not the full
    /// convolution) over zero padding, whose phases merge straight into the input's own cells.
    /// </summary>
    public static bool MergesUnpadded<T, V>(ConvGeometry g)
        where T : unmanaged
        where V : struct, ISimd<V, T> =>
        g.PaddingMode == PaddingMode.Zeros && StridePhases.Helps(g) && !FullConvolution.Helps<T, V>(g);

    /// <summary>
    /// Overwrites <paramref name="gradInput"/> (N, C, input sizes…) with the input gradient where <see cref="MergesUnpadded{T, V}"/>:
    /// the phases merged into the input's cells (<see cref="StridePhases.MergeUnpadded{T, V}"/>), no padded gradient to fold.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static void RunUnpadded<T, V>(ConvGeometry g, ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> kernel, Span<T> gradInput, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        if (!MergesUnpadded<T, V>(g))
            throw new ArgumentException("only a zero-padded input gradient by stride phase merges into the unpadded input", nameof(g));
        Col2Im<T, V>(g, gradOutput, kernel, gradInput, unpadded: true, cancellationToken);
    }

    /// <summary>col2im into <paramref name="target"/>: the padded gradient, or with <paramref name="unpadded"/> the input's own cells.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Col2Im<T, V>(ConvGeometry g, ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> kernel, Span<T> target, bool unpadded, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        // Strided: col2im into the gradient split by stride phase, where every tap's rows are runs of consecutive cells
        // (see StridePhases), then back to the padded layout; not a scalar add per output through the stride.
        var phases = StridePhases.Helps(g);
        var grid = phases ? StridePhases.Grid(g) : PixelGrid.Of(g);
        var (rows, depth) = (g.InChannelsPerGroup * g.Windows.KernelCells, g.OutChannelsPerGroup);
        // Over the outputs, gradOutput is B as it is; over virtual pixels it is first spread out to them.
        var dense = VirtualGemm<T, V>.PrefersDense(grid, rows, g.Batch * g.Groups, g.MultiplyAdds, gather: false);
        // Spread rows start on cache lines (whole lines long, in an aligned buffer), so B's vectors never straddle two.
        var line = CacheLine.Slack<T>();
        var rowLength = dense ? grid.Outputs : (grid.Length + line - 1) / line * line;
        var spreadLength = dense ? 0 : g.Batch * g.OutChannels * rowLength + line;
        var taps = ArrayPool<int>.Shared.Rent(rows);
        var planes = ArrayPool<int>.Shared.Rent(depth);
        var spread = TensorPool<T>.Shared.Rent(spreadLength);
        // Wᵀ's rows (C/groups·Π k of them) side by side for each output channel: read in place when they fill whole tiles.
        var inPlace = rows % GemmTile.Rows == 0;
        var packed = inPlace ? null : TensorPool<T>.Shared.Rent(WeightPanels.Length(g.Groups, rows, depth));
        var split = phases ? TensorPool<T>.Shared.Rent((int)StridePhases.Length(g)) : null;
        try
        {
            if (phases)
                StridePhases.TapOffsets(g, taps);
            else
                PixelGrid.TapOffsets(g, taps);
            for (var o = 0; o < depth; o++)
                planes[o] = o * rowLength;
            var destination = phases ? split!.AsSpan(0, (int)StridePhases.Length(g)) : target;
            destination.Clear();
            fixed (T* gy = gradOutput, rented = spread, w = kernel, gx = destination, a = packed)
            fixed (int* t = taps, p = planes)
            {
                var go = CacheLine.Align(rented);
                if (!dense)
                    VirtualSpread.Spread<T, V>(grid, g.Batch * g.OutChannels, gy, go, rowLength, ParallelSplit.Workers(g.MultiplyAdds));
                if (!inPlace)
                    WeightPanels.Pack(w, g.Groups, rows, depth, (long)rows * depth, 1, rows, a);
                var operands = new GemmOperands<T>
                {
                    A = inPlace ? w : a, ALayout = inPlace ? WeightLayout.ColumnMajor : WeightLayout.Panels, B = dense ? gy : go, BStride = (long)depth * rowLength, Offsets = p, Rows = rows, Depth = depth, Dense = dense,
                    Destination = gx, Scatter = t, RowsPerChannel = g.Windows.KernelCells, DestinationStride = (long)g.InChannelsPerGroup * grid.PlaneLength,
                };
                var reach = phases ? StridePhases.Reach(g) : PixelGrid.Reach(g);
                new VirtualGemm<T, V>(operands, grid, g.Batch * g.Groups, g.Groups, reach, g.MultiplyAdds, cancellationToken).Run();
            }
            if (phases && !cancellationToken.IsCancellationRequested)
            {
                if (unpadded)
                    StridePhases.MergeUnpadded<T, V>(destination, g, target);
                else
                    StridePhases.Merge<T, V>(destination, g, target);
            }
        }
        finally
        {
            if (split != null)
                TensorPool<T>.Shared.Return(split);
            if (packed != null)
                TensorPool<T>.Shared.Return(packed);
            TensorPool<T>.Shared.Return(spread);
            ArrayPool<int>.Shared.Return(planes);
            ArrayPool<int>.Shared.Return(taps);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }
}
