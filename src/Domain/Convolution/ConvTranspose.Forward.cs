using System.Numerics;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Convolution;

/// <summary>
/// Transposed convolution in 1, 2 or 3 spatial dimensions with PyTorch's <c>conv_transpose1d/2d/3d</c> semantics: the
/// gradient of a convolution with respect to its input, used as a layer. It runs on the convolution's own input-gradient
/// kernel over <see cref="ConvTransposeGeometry.Forward"/>.
/// </summary>
public static partial class ConvTranspose
{
    /// <summary>
    /// <c>out[n, g·Cout/groups + o, x…] = bias[…] + Σ_c Σ_{i…, p…: i·s − padding + p·d = x} in[n, g·C/groups + c, i…] · kernel[g·C/groups + c, o, p…]</c>:
    /// every input cell spreads its value times the kernel over the output, stride apart; output padding cells past the
    /// last window get only the bias.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes or options break a rule of <see cref="ConvRules.CheckTransposed"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Tensor<T> Forward<T>(Tensor<T> input, Tensor<T> kernel, Tensor<T>? bias, ConvTransposeOptions options, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Forward(ConvTransposeGeometry.Create(input.Shape, kernel.Shape, bias?.Shape, options), input, kernel, bias, cancellationToken);

    /// <summary>The transposed convolution of an already resolved <paramref name="geometry"/>, into a new tensor of its output shape.</summary>
    /// <exception cref="ArgumentException">A tensor's length does not match <paramref name="geometry"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Tensor<T> Forward<T>(ConvTransposeGeometry geometry, Tensor<T> input, Tensor<T> kernel, Tensor<T>? bias, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Tensor<T>.Computed(geometry.OutputShape, output => Forward(geometry, input.Span, kernel.Span, bias is null ? default : bias.Span, output.Span, cancellationToken));

    /// <summary>The transposed convolution into a destination the caller owns; <paramref name="bias"/> may be empty.</summary>
    /// <exception cref="ArgumentException">A span's length does not match <paramref name="geometry"/>.</exception>
    public static void Forward<T>(ConvTransposeGeometry geometry, ReadOnlySpan<T> input, ReadOnlySpan<T> kernel, ReadOnlySpan<T> bias, Span<T> output, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var f = geometry.Forward;
        CheckLengths(geometry, input.Length, kernel.Length, output.Length);
        if (!bias.IsEmpty)
            ArgumentOutOfRangeException.ThrowIfNotEqual(bias.Length, geometry.OutChannels, nameof(bias));

        ConvKernels.BackwardInput(f, input, kernel, output, cancellationToken);
        if (!bias.IsEmpty)
            AddPerChannel(f.Batch, f.InChannels, f.Windows.InputPlaneLength, bias, output);
    }

    private static void AddPerChannel<T>(int batch, int channels, int plane, ReadOnlySpan<T> bias, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var n = 0; n < batch; n++)
        {
            for (var o = 0; o < channels; o++)
            {
                foreach (ref var value in output.Slice((n * channels + o) * plane, plane))
                    value += bias[o];
            }
        }
    }

    private static void CheckLengths(ConvTransposeGeometry geometry, int input, int kernel, int output) =>
        Conv.CheckLengths(geometry.InputShape, geometry.KernelShape, geometry.OutputShape, input, kernel, output);
}
