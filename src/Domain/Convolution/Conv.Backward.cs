using System.Numerics;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Convolution;

public static partial class Conv
{
    /// <summary>
    /// The gradients of <c>L = Σ gradOutput · Forward(input, kernel, bias)</c>:
    /// <c>gradInput[n,c,x…] = Σ gradOutput[n,o,i…] · kernel[o,c',p…]</c> over the windows whose tap p… reads x…
    /// (through the padding mode: reflect, replicate and circular padding cells fold back onto the cells they copy),
    /// <c>gradKernel[o,c,p…] = Σ_n Σ_i… in[n, g·C/groups + c, i·s − padBegin + p·d …] · gradOutput[n,o,i…]</c>,
    /// <c>gradBias[o] = Σ_n Σ_i… gradOutput[n,o,i…]</c>. Input cells no window reaches get exactly 0.
    /// </summary>
    /// <remarks>gradOutput has the forward output's shape; <see langword="null"/> means all ones (the gradient of the output's sum).</remarks>
    /// <returns>Gradients of the input's, the kernel's and the bias's shapes; <see cref="ConvGradients{T}.GradBias"/> is null without a bias.</returns>
    /// <exception cref="ArgumentException">The shapes or options break a rule of <see cref="ConvRules"/>, or gradOutput's shape is not the forward output's.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the kernels poll it between planes.</exception>
    public static ConvGradients<T> Backward<T>(Tensor<T> input, Tensor<T> kernel, Tensor<T>? bias, Tensor<T>? gradOutput, ConvOptions options, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var geometry = ConvGeometry.Create(input.Shape, kernel.Shape, bias?.Shape, options);
        if (gradOutput is not null && ConvRules.CheckGradOutput(geometry.OutputShape, gradOutput.Shape) is { } problem)
            problem.Throw();
        return Backward(geometry, input, kernel, bias, gradOutput, cancellationToken);
    }

    /// <summary>The backward pass of an already resolved <paramref name="geometry"/>, into new tensors; gradOutput null means all ones.</summary>
    /// <exception cref="ArgumentException">A tensor's length does not match <paramref name="geometry"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static ConvGradients<T> Backward<T>(ConvGeometry geometry, Tensor<T> input, Tensor<T> kernel, Tensor<T>? bias, Tensor<T>? gradOutput, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var ones = gradOutput is null ? Tensor<T>.Filled(geometry.OutputShape, T.One) : null;
        var grad = gradOutput ?? ones!;
        return ConvGradients<T>.Computed(input.Shape, kernel.Shape, bias?.Shape, gradients => Backward(geometry, input.Span, kernel.Span, grad.Span,
            gradients.GradInput.Span, gradients.GradKernel.Span, gradients.GradBias is null ? default : gradients.GradBias.Span, cancellationToken));
    }

    /// <summary>The backward pass into destinations the caller owns; an empty <paramref name="gradBias"/> skips the bias gradient.</summary>
    /// <exception cref="ArgumentException">A span's length does not match <paramref name="geometry"/>.</exception>
    public static void Backward<T>(ConvGeometry geometry, ReadOnlySpan<T> input, ReadOnlySpan<T> kernel, ReadOnlySpan<T> gradOutput,
        Span<T> gradInput, Span<T> gradKernel, Span<T> gradBias, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(geometry, input.Length, kernel.Length, gradOutput.Length);
        CheckLengths(geometry, gradInput.Length, gradKernel.Length, gradOutput.Length);
        if (!gradBias.IsEmpty)
            ArgumentOutOfRangeException.ThrowIfNotEqual(gradBias.Length, geometry.OutChannels, nameof(gradBias));

        ConvKernels.BackwardKernelOfInput(geometry, input, gradOutput, gradKernel, cancellationToken);
        ConvKernels.BackwardInput(geometry, gradOutput, kernel, gradInput, cancellationToken);
        if (!gradBias.IsEmpty)
            SumPerChannel(geometry.Batch, geometry.OutChannels, geometry.Windows.OutputPlaneLength, gradOutput, gradBias);
    }

    /// <summary>gradBias[o] = Σ_n Σ_i… gradOutput[n,o,i…] over <paramref name="batch"/> images of <paramref name="channels"/> planes of <paramref name="plane"/> cells.</summary>
    internal static void SumPerChannel<T>(int batch, int channels, int plane, ReadOnlySpan<T> gradOutput, Span<T> gradBias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        gradBias.Clear();
        for (var n = 0; n < batch; n++)
        {
            for (var o = 0; o < channels; o++)
            {
                var sum = T.Zero;
                foreach (var value in gradOutput.Slice((n * channels + o) * plane, plane))
                    sum += value;
                gradBias[o] += sum;
            }
        }
    }
}
