using System.Numerics;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Convolution;

/// <summary>
/// Convolution (cross-correlation) in 1, 2 or 3 spatial dimensions with PyTorch's <c>conv1d/2d/3d</c> semantics, over
/// (N, C, …) tensors (or the unbatched and single forms of <see cref="Geometry.SpatialLayout"/>).
/// </summary>
public static partial class Conv
{
    /// <summary>
    /// <c>out[n,o,i…] = bias[o] + Σ_c Σ_p… in[n, g·C/groups + c, i·s − padBegin + p·d …] · kernel[o,c,p…]</c> (one index per
    /// spatial axis), where <c>g</c> is the group of output channel <c>o</c> and the padding cells hold what the padding mode says.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes or options break a rule of <see cref="ConvRules"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the kernels poll it between tiles.</exception>
    public static Tensor<T> Forward<T>(Tensor<T> input, Tensor<T> kernel, Tensor<T>? bias, ConvOptions options, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Forward(ConvGeometry.Create(input.Shape, kernel.Shape, bias?.Shape, options), input, kernel, bias, cancellationToken);

    /// <summary>The forward pass of an already resolved <paramref name="geometry"/>, into a new tensor of its output shape.</summary>
    /// <exception cref="ArgumentException">A tensor's length does not match <paramref name="geometry"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Tensor<T> Forward<T>(ConvGeometry geometry, Tensor<T> input, Tensor<T> kernel, Tensor<T>? bias, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Tensor<T>.Computed(geometry.OutputShape, output => Forward(geometry, input.Span, kernel.Span, bias is null ? default : bias.Span, output.Span, cancellationToken));

    /// <summary>The forward pass into a destination the caller owns; <paramref name="bias"/> may be empty.</summary>
    /// <exception cref="ArgumentException">A span's length does not match <paramref name="geometry"/>.</exception>
    public static void Forward<T>(ConvGeometry geometry, ReadOnlySpan<T> input, ReadOnlySpan<T> kernel, ReadOnlySpan<T> bias, Span<T> output, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(geometry, input.Length, kernel.Length, output.Length);
        if (!bias.IsEmpty)
            ArgumentOutOfRangeException.ThrowIfNotEqual(bias.Length, geometry.OutChannels, nameof(bias));

        if (ConvKernels.TryForwardUnpadded(geometry, input, kernel, bias, output, cancellationToken))
            return;
        var paddedLength = (int)geometry.PaddedShape.ElementCount!.Value;
        var padded = TensorPool<T>.Shared.Rent(paddedLength);
        try
        {
            Padding.Pad(input, geometry.Batch * geometry.InChannels, geometry.Axes.AsSpan(), geometry.PaddingMode, padded);
            ConvKernels.Forward(geometry, padded.AsSpan(0, paddedLength), kernel, bias, output, cancellationToken);
        }
        finally
        {
            TensorPool<T>.Shared.Return(padded);
        }
    }

    private static void CheckLengths(ConvGeometry geometry, int input, int kernel, int output) =>
        CheckLengths(geometry.InputShape, geometry.KernelShape, geometry.OutputShape, input, kernel, output);

    /// <summary>The spans hold one input and one kernel of their shapes, and room for the output.</summary>
    internal static void CheckLengths(TensorShape inputShape, TensorShape kernelShape, TensorShape outputShape, int input, int kernel, int output)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual((long)input, inputShape.ElementCount ?? -1, nameof(input));
        ArgumentOutOfRangeException.ThrowIfNotEqual((long)kernel, kernelShape.ElementCount ?? -1, nameof(kernel));
        ArgumentOutOfRangeException.ThrowIfLessThan((long)output, outputShape.ElementCount ?? long.MaxValue, nameof(output));
    }
}
