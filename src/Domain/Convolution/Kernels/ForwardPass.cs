using System.Buffers;
using System.Numerics;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>Sets up <see cref="ForwardGemm{T, V}"/>: tap offsets, packed weights, workers.</summary>
internal static unsafe class ForwardPass
{
    public static void Run<T, V>(ConvGeometry g, ReadOnlySpan<T> padded, ReadOnlySpan<T> kernel, ReadOnlySpan<T> bias, Span<T> output, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var depth = g.InChannelsPerGroup * g.Axes[0].Kernel * g.Axes[1].Kernel;
        var packedLength = g.Groups * WeightPanels.PerGroup(g.OutChannelsPerGroup) * GemmTile.Rows * depth;
        var offsets = ArrayPool<int>.Shared.Rent(depth);
        var packed = ArrayPool<T>.Shared.Rent(packedLength);
        try
        {
            PixelGrid.TapOffsets(g, offsets);
            fixed (T* x = padded, w = kernel, b = bias, y = output, a = packed)
            fixed (int* o = offsets)
            {
                WeightPanels.Pack(w, g.OutChannels, g.Groups, depth, a);
                var workers = ParallelSplit.Workers(g.MultiplyAdds);
                var gemm = new ForwardGemm<T, V>(g, x, a, o, bias.IsEmpty ? null : b, y, workers, cancellationToken);
                ParallelSplit.Run(Math.Min(workers, gemm.Tasks), gemm.RunWorker);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(packed);
            ArrayPool<int>.Shared.Return(offsets);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }
}
