using System.Numerics;
using ConvService.Domain.Convolution.Kernels;

namespace ConvService.Domain.Convolution;

/// <summary>
/// The convolution's inner loops, over an already padded input (N, C, padded sizes…), so that padding modes never reach
/// them; only zero padding, where a strided pass lays its input out anyway, is written by the kernels themselves.
/// </summary>
internal static partial class ConvKernels
{
    /// <summary>output (N, Cout, output sizes…) = bias + the valid cross-correlation of <paramref name="padded"/> with <paramref name="kernel"/>.</summary>
    public static void Forward<T>(ConvGeometry g, ReadOnlySpan<T> padded, ReadOnlySpan<T> kernel, ReadOnlySpan<T> bias, Span<T> output, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        FastConv.Forward(g, padded, kernel, bias, output, cancellationToken);

    /// <summary>
    /// The forward pass over the unpadded <paramref name="input"/> where the kernels pad it themselves as they lay it
    /// out (a zero-padded strided convolution); false, with nothing done, where the caller must pad it.
    /// </summary>
    public static bool TryForwardUnpadded<T>(ConvGeometry g, ReadOnlySpan<T> input, ReadOnlySpan<T> kernel, ReadOnlySpan<T> bias, Span<T> output, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!FastConv.ReadsUnpadded<T>(g))
            return false;
        FastConv.ForwardZeroPadded(g, input, kernel, bias, output, cancellationToken);
        return true;
    }
}
