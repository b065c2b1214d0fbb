using System.Numerics;
using ConvService.Domain.Convolution.Kernels;

namespace ConvService.Domain.Convolution;

internal static partial class ConvKernels
{
    /// <summary>
    /// gradPadded (N, C, padded sizes…) = ∂(Σ gradOutput·output)/∂padded:
    /// <c>gradPadded[n, g·C/groups + c, i·s + p·d …] += gradOutput[n,o,i…] · kernel[o,c,p…]</c> (one index per spatial axis).
    /// Overwritten, not accumulated into; cells no window reaches are exactly 0.
    /// </summary>
    public static void BackwardData<T>(ConvGeometry g, ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> kernel, Span<T> gradPadded, CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        FastConv.BackwardData(g, gradOutput, kernel, gradPadded, ct);

    /// <summary>
    /// gradKernel (Cout, C/groups, k…) = ∂(Σ gradOutput·output)/∂kernel:
    /// <c>gradKernel[o,c,p…] = Σ_n Σ_i… padded[n, g·C/groups + c, i·s + p·d …] · gradOutput[n,o,i…]</c>. Overwritten.
    /// </summary>
    public static void BackwardKernel<T>(ConvGeometry g, ReadOnlySpan<T> padded, ReadOnlySpan<T> gradOutput, Span<T> gradKernel, CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        FastConv.BackwardKernel(g, padded, gradOutput, gradKernel, ct);
}
