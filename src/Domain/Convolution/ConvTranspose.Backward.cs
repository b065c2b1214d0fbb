using System.Numerics;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Convolution;

public static partial class ConvTranspose
{
    /// <summary>
    /// The gradients of <c>L = Σ gradOutput · Forward(input, kernel, bias)</c>. A transposed convolution is the input
    /// gradient of a convolution, so its own gradients are that convolution's other passes over the zero-padded gradOutput:
    /// <c>gradInput = conv(gradOutput, kernel)</c> (stride, padding, dilation and groups as given),
    /// <c>gradKernel[c, o, p…] = Σ_n Σ_i… in[n, c, i…] · gradOutput[n, g·Cout/groups + o, i·s − padding + p·d …]</c>,
    /// <c>gradBias[o] = Σ_n Σ_x… gradOutput[n, o, x…]</c>.
    /// </summary>
    /// <remarks>gradOutput has the output's shape; <see langword="null"/> means all ones (the gradient of the output's sum).</remarks>
    /// <exception cref="ArgumentException">The arguments break a rule of <see cref="ConvRules.CheckTransposed"/>, or gradOutput is not of the output's shape.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static ConvGradients<T> Backward<T>(Tensor<T> input, Tensor<T> kernel, Tensor<T>? bias, Tensor<T>? gradOutput, ConvTransposeOptions options, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var geometry = ConvTransposeGeometry.Create(input.Shape, kernel.Shape, bias?.Shape, options);
        if (gradOutput is not null && ConvRules.CheckGradOutput(geometry.OutputShape, gradOutput.Shape) is { } problem)
            problem.Throw();
        return Backward(geometry, input, kernel, bias, gradOutput, cancellationToken);
    }

    /// <summary>The backward pass of an already resolved <paramref name="geometry"/>, into new tensors; gradOutput null means all ones.</summary>
    /// <exception cref="ArgumentException">A tensor's length does not match <paramref name="geometry"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static ConvGradients<T> Backward<T>(ConvTransposeGeometry geometry, Tensor<T> input, Tensor<T> kernel, Tensor<T>? bias, Tensor<T>? gradOutput, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var ones = gradOutput is null ? Tensor<T>.Filled(geometry.OutputShape, T.One) : null;
        var grad = gradOutput ?? ones!;
        return ConvGradients<T>.Computed(input.Shape, kernel.Shape, bias?.Shape, gradients => Backward(geometry, input.Span, kernel.Span, grad.Span,
            gradients.GradInput.Span, gradients.GradKernel.Span, gradients.GradBias is null ? default : gradients.GradBias.Span, cancellationToken));
    }

    /// <summary>The backward pass into destinations the caller owns; an empty <paramref name="gradBias"/> skips the bias gradient.</summary>
    /// <exception cref="ArgumentException">A span's length does not match <paramref name="geometry"/>.</exception>
    public static void Backward<T>(ConvTransposeGeometry geometry, ReadOnlySpan<T> input, ReadOnlySpan<T> kernel, ReadOnlySpan<T> gradOutput,
        Span<T> gradInput, Span<T> gradKernel, Span<T> gradBias, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var f = geometry.Forward;
        CheckLengths(geometry, input.Length, kernel.Length, gradOutput.Length);
        CheckLengths(geometry, gradInput.Length, gradKernel.Length, gradOutput.Length);
        if (!gradBias.IsEmpty)
            ArgumentOutOfRangeException.ThrowIfNotEqual(gradBias.Length, geometry.OutChannels, nameof(gradBias));

        var paddedLength = (int)f.PaddedShape.ElementCount!.Value;
        var padded = TensorPool<T>.Shared.Rent(paddedLength);
        try
        {
            Padding.Pad(gradOutput, f.Batch * f.InChannels, f.Axes.AsSpan(), f.PaddingMode, padded);
            ConvKernels.Forward(f, padded.AsSpan(0, paddedLength), kernel, default, gradInput, cancellationToken);
            ConvKernels.BackwardKernel(f, padded.AsSpan(0, paddedLength), input, gradKernel, cancellationToken);
        }
        finally
        {
            TensorPool<T>.Shared.Return(padded);
        }
        if (!gradBias.IsEmpty)
            Conv.SumPerChannel(f.Batch, f.InChannels, f.Windows.InputPlaneLength, gradOutput, gradBias);
    }
}
