using System.Buffers;
using System.Numerics;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;
using System.Runtime.CompilerServices;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// The kernel gradient as dot products along virtual pixels: every im2col row is read in place from the padded input,
/// against gradOutput spread chunk by chunk into the <see cref="PixelGrid"/> layout (zeros where a virtual pixel is no
/// output) in a worker's own buffer (see <see cref="KernelGradientJob{T, V}"/>). When the columns step by more than one,
/// the input is first split by stride phase (<see cref="StridePhases"/>), so that the virtual pixels' rows are dense; a
/// zero-padded 3-D volume at stride 1 is laid out compactly (<see cref="CompactPadding"/>), with fewer virtual pixels.
/// Many output channels over few pixels (S3) run instead as a GEMM over the outputs (<see cref="KernelGradientGemm{T, V}"/>).
/// </summary>
internal static unsafe class KernelGradient
{
    public static void Run<T, V>(ConvGeometry g, ReadOnlySpan<T> padded, ReadOnlySpan<T> gradOutput, Span<T> gradKernel, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T> =>
        Run<T, V>(g, padded, isPadded: true, gradOutput, gradKernel, cancellationToken);

    /// <summary>
    /// Whether <see cref="RunZeroPadded{T, V}"/> takes this convolution: zero padding, not the GEMM over outputs, and
    /// either columns that step by more than one (the input is split by stride phase, and the split writes the padding's
    /// zeros itself) or a 3-D volume laid out with its rows and planes sharing their zeros (<see cref="TakesCompact"/>).
    /// </summary>
    public static bool ReadsUnpadded<T, V>(ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T> =>
        g.PaddingMode == PaddingMode.Zeros && (StridePhases.ForKernelGradient(g) || TakesCompact(g)) && !KernelGradientGemm<T, V>.Helps(g, PixelGrid.Of(g));

    /// <summary>
    /// Whether the dot products run over the input laid out compactly (<see cref="CompactPadding"/>): in 3-D, where the
    /// padded volume's virtual pixels waste most (S6: 18³ = 5,832 per channel for 4,096 outputs, 17³ + 17² … laid out
    /// compactly). Not in 2-D, whose kernel gradients the replay holds bit for bit to the sums over the padded layout.
    /// </summary>
    private static bool TakesCompact(ConvGeometry g) =>
        g.SpatialDims == 3 && !StridePhases.ForKernelGradient(g) && CompactPadding.Fits(g);

    /// <summary>
    /// As <see cref="Run{T, V}(ConvGeometry, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, CancellationToken)"/>, over the
    /// unpadded <paramref name="input"/> (N, C, sizes…) where <see cref="ReadsUnpadded{T, V}"/>: no padded copy is made.
    /// </summary>
    public static void RunZeroPadded<T, V>(ConvGeometry g, ReadOnlySpan<T> input, ReadOnlySpan<T> gradOutput, Span<T> gradKernel, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        if (!ReadsUnpadded<T, V>(g))
            throw new ArgumentException("only a zero-padded kernel gradient split by stride phase or laid out compactly reads its input unpadded", nameof(g));
        Run<T, V>(g, input, isPadded: false, gradOutput, gradKernel, cancellationToken);
    }

    private static void Run<T, V>(ConvGeometry g, ReadOnlySpan<T> padded, bool isPadded, ReadOnlySpan<T> gradOutput, Span<T> gradKernel, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var depth = g.InChannelsPerGroup * g.Windows.KernelCells;
        var whole = PixelGrid.Of(g);
        if (KernelGradientGemm<T, V>.Helps(g, whole))
        {
            RunGemm<T, V>(g, whole, padded, gradOutput, gradKernel, cancellationToken);
            return;
        }
        var offsets = ArrayPool<int>.Shared.Rent(depth);
        // Columns that step by s: sum over the input split by stride phase (see StridePhases), not over s − 1 idle lanes in s;
        // a 3-D volume read unpadded: over it laid out compactly. Either is a rented copy the dot products read.
        var phases = StridePhases.ForKernelGradient(g);
        var compact = !isPadded && !phases;
        var length = phases ? StridePhases.Length(g) : compact ? CompactPadding.Length(g) : 0;
        var laidOut = phases || compact ? TensorPool<T>.Shared.Rent((int)length) : null;
        try
        {
            PixelGrid grid;
            if (compact)
            {
                CompactPadding.Lay<T, V>(padded, g, laidOut.AsSpan(0, (int)length));
                grid = CompactPadding.Grid(g);
                padded = laidOut.AsSpan(0, (int)length);
                CompactPadding.TapOffsets(g, offsets);
            }
            else if (phases)
            {
                if (isPadded)
                    StridePhases.Split<T, V>(padded, g, laidOut!, byBands: false);
                else
                    StridePhases.SplitZeroPadded<T, V>(padded, g, laidOut!, byBands: false);
                grid = StridePhases.Grid(g);
                padded = laidOut!.AsSpan(0, (int)length);
                StridePhases.TapOffsets(g, offsets);
            }
            else
            {
                grid = whole;
                PixelGrid.TapOffsets(g, offsets);
            }
            gradKernel.Clear();
            fixed (T* x = padded, gy = gradOutput, gw = gradKernel)
            fixed (int* o = offsets)
            {
                var workers = ParallelSplit.Workers(g.MultiplyAdds);
                var job = new KernelGradientJob<T, V>(g, grid, x, gy, o, gw, workers, cancellationToken);
                job.Run(Math.Min(workers, job.Tasks));
            }
        }
        finally
        {
            if (laidOut != null)
                TensorPool<T>.Shared.Return(laidOut);
            ArrayPool<int>.Shared.Return(offsets);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Few pixels, many output channels: a GEMM over the outputs (<see cref="KernelGradientGemm{T, V}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunGemm<T, V>(ConvGeometry g, PixelGrid grid, ReadOnlySpan<T> padded, ReadOnlySpan<T> gradOutput, Span<T> gradKernel, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var offsets = ArrayPool<int>.Shared.Rent(g.InChannelsPerGroup * g.Windows.KernelCells);
        var pixels = ArrayPool<int>.Shared.Rent(grid.Outputs);
        try
        {
            PixelGrid.TapOffsets(g, offsets);
            for (var p = 0; p < grid.Outputs; p++)
                pixels[p] = grid.VirtualPixel(p);
            fixed (T* x = padded, gy = gradOutput, gw = gradKernel)
            fixed (int* o = offsets, v = pixels)
            {
                var job = new KernelGradientGemm<T, V>(g, grid, x, gy, o, v, gw, cancellationToken);
                job.Run(Math.Min(ParallelSplit.Workers(g.MultiplyAdds), job.Tasks));
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(pixels);
            ArrayPool<int>.Shared.Return(offsets);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }
}
