using System.Buffers;
using System.Numerics;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// The kernel gradient as dot products along virtual pixels: every im2col row is read in place from the padded input,
/// against gradOutput spread chunk by chunk into the <see cref="PixelGrid"/> layout (zeros where a virtual pixel is no
/// output) in a worker's own buffer (see <see cref="KernelGradientJob{T, V}"/>).
/// </summary>
internal static unsafe class KernelGradient
{
    public static void Run<T, V>(ConvGeometry g, ReadOnlySpan<T> padded, ReadOnlySpan<T> gradOutput, Span<T> gradKernel, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var depth = g.InChannelsPerGroup * g.Windows.KernelCells;
        var offsets = ArrayPool<int>.Shared.Rent(depth);
        try
        {
            PixelGrid.TapOffsets(g, offsets);
            gradKernel.Clear();
            fixed (T* x = padded, gy = gradOutput, gw = gradKernel)
            fixed (int* o = offsets)
            {
                var workers = ParallelSplit.Workers(g.MultiplyAdds);
                var job = new KernelGradientJob<T, V>(g, x, gy, o, gw, workers, cancellationToken);
                ParallelSplit.Run(Math.Min(workers, job.Tasks), job.RunWorker);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(offsets);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }
}
