using System.Numerics;
using ConvService.Domain.Convolution.Kernels;
using ConvService.Domain.Tensors;

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
    /// gradInput (N, C, input sizes…) = ∂(Σ gradOutput·output)/∂input: <see cref="BackwardData{T}"/>'s gradient of the padded
    /// input with its padding folded back (<see cref="Padding.Fold{T}"/>), or, where zero padding lets the kernels skip the
    /// padded layout (a full convolution over the input's cells, or stride phases merged into them), the input's own cells
    /// written in place (<see cref="FastConv.TryBackwardInput{T}"/>).
    /// </summary>
    public static void BackwardInput<T>(ConvGeometry g, ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> kernel, Span<T> gradInput, CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (FastConv.TryBackwardInput(g, gradOutput, kernel, gradInput, ct))
            return;
        var paddedLength = (int)g.PaddedShape.ElementCount!.Value;
        var gradPadded = TensorPool<T>.Shared.Rent(paddedLength);
        try
        {
            BackwardData(g, gradOutput, kernel, gradPadded.AsSpan(0, paddedLength), ct);
            Padding.Fold(gradPadded.AsSpan(0, paddedLength), g.Batch * g.InChannels, g.Axes.AsSpan(), g.PaddingMode, gradInput);
        }
        finally
        {
            TensorPool<T>.Shared.Return(gradPadded);
        }
    }

    /// <summary>
    /// <see cref="BackwardKernel{T}"/> over the unpadded <paramref name="input"/> (N, C, sizes…): padded here through the
    /// padding mode, or, where the kernels split a zero-padded input by stride phase, read as it is
    /// (<see cref="FastConv.TryBackwardKernelUnpadded{T}"/>).
    /// </summary>
    public static void BackwardKernelOfInput<T>(ConvGeometry g, ReadOnlySpan<T> input, ReadOnlySpan<T> gradOutput, Span<T> gradKernel, CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (FastConv.TryBackwardKernelUnpadded(g, input, gradOutput, gradKernel, ct))
            return;
        var paddedLength = (int)g.PaddedShape.ElementCount!.Value;
        var padded = TensorPool<T>.Shared.Rent(paddedLength);
        try
        {
            Padding.Pad(input, g.Batch * g.InChannels, g.Axes.AsSpan(), g.PaddingMode, padded);
            BackwardKernel(g, padded.AsSpan(0, paddedLength), gradOutput, gradKernel, ct);
        }
        finally
        {
            TensorPool<T>.Shared.Return(padded);
        }
    }

    /// <summary>
    /// gradKernel (Cout, C/groups, k…) = ∂(Σ gradOutput·output)/∂kernel:
    /// <c>gradKernel[o,c,p…] = Σ_n Σ_i… padded[n, g·C/groups + c, i·s + p·d …] · gradOutput[n,o,i…]</c>. Overwritten.
    /// </summary>
    public static void BackwardKernel<T>(ConvGeometry g, ReadOnlySpan<T> padded, ReadOnlySpan<T> gradOutput, Span<T> gradKernel, CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        FastConv.BackwardKernel(g, padded, gradOutput, gradKernel, ct);
}
