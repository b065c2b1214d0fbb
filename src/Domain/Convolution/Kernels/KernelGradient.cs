using System.Buffers;
using System.Numerics;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// The kernel gradient as dot products along virtual pixels: gradOutput is spread into the <see cref="PixelGrid"/>
/// layout (zeros where a virtual pixel is no output) so that every im2col row is read in place from the padded input.
/// </summary>
internal static unsafe class KernelGradient
{
    public static void Run<T, V>(ConvGeometry g, ReadOnlySpan<T> padded, ReadOnlySpan<T> gradOutput, Span<T> gradKernel, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var grid = PixelGrid.Of(g);
        var depth = g.InChannelsPerGroup * g.Windows.KernelCells;
        var rowLength = (grid.Length + V.Count - 1) / V.Count * V.Count;
        var spreadLength = g.Batch * g.OutChannels * rowLength;
        var offsets = ArrayPool<int>.Shared.Rent(depth);
        var spread = TensorPool<T>.Shared.Rent(spreadLength);
        try
        {
            PixelGrid.TapOffsets(g, offsets);
            gradKernel.Clear();
            fixed (T* x = padded, gy = gradOutput, go = spread, gw = gradKernel)
            fixed (int* o = offsets)
            {
                var workers = ParallelSplit.Workers(g.MultiplyAdds);
                VirtualSpread.Spread(grid, g.Batch * g.OutChannels, gy, go, rowLength, workers);
                var job = new KernelGradientJob<T, V>(g, x, go, rowLength, o, gw, workers, cancellationToken);
                ParallelSplit.Run(Math.Min(workers, job.Tasks), job.RunWorker);
            }
        }
        finally
        {
            TensorPool<T>.Shared.Return(spread);
            ArrayPool<int>.Shared.Return(offsets);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }
}
