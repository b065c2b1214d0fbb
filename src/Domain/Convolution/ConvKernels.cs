using System.Numerics;
using ConvService.Domain.Convolution.Kernels;

namespace ConvService.Domain.Convolution;

/// <summary>
/// The convolution's inner loops, over an already padded input (N, C, padded sizes…), so that padding modes never reach them.
/// </summary>
internal static partial class ConvKernels
{
    /// <summary>output (N, Cout, output sizes…) = bias + the valid cross-correlation of <paramref name="padded"/> with <paramref name="kernel"/>.</summary>
    public static void Forward<T>(ConvGeometry g, ReadOnlySpan<T> padded, ReadOnlySpan<T> kernel, ReadOnlySpan<T> bias, Span<T> output, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        FastConv.Forward(g, padded, kernel, bias, output, cancellationToken);
}
