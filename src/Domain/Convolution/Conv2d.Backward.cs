using System.Buffers;
using System.Numerics;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Convolution;

public static partial class Conv2d
{
    /// <summary>
    /// The gradients of <c>L = Σ gradOutput · Forward(input, kernel, bias)</c>:
    /// <c>gradInput[n,c,y,x] = Σ gradOutput[n,o,i,j] · kernel[o,c',p,q]</c> over the windows whose tap (p, q) reads (y, x)
    /// (through the padding mode: reflect, replicate and circular padding cells fold back onto the cells they copy),
    /// <c>gradKernel[o,c,p,q] = Σ_n Σ_i Σ_j in[n, g·C/groups + c, i·s − pad + p·d, j·s − pad + q·d] · gradOutput[n,o,i,j]</c>,
    /// <c>gradBias[o] = Σ_n Σ_i Σ_j gradOutput[n,o,i,j]</c>. Input cells no window reaches get exactly 0.
    /// </summary>
    /// <remarks>gradOutput has the forward output's shape; <see langword="null"/> means all ones (the gradient of the output's sum).</remarks>
    /// <returns>Gradients of the input's, the kernel's and the bias's shapes; <see cref="ConvGradients{T}.GradBias"/> is null without a bias.</returns>
    /// <exception cref="ArgumentException">The shapes or options break a rule of <see cref="ConvRules"/>, or gradOutput's shape is not the forward output's.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the kernels poll it between planes.</exception>
    public static ConvGradients<T> Backward<T>(Tensor<T> input, Tensor<T> kernel, Tensor<T>? bias, Tensor<T>? gradOutput, ConvOptions options, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var geometry = ConvGeometry.Create(input.Shape, kernel.Shape, bias?.Shape, options);
        if (gradOutput is not null && ConvRules.CheckGradOutput(geometry, gradOutput.Shape) is { } problem)
            problem.Throw();

        using var ones = gradOutput is null ? Tensor<T>.Filled(geometry.OutputShape, T.One) : null;
        var gradients = new ConvGradients<T>(Tensor<T>.Uninitialized(input.Shape), Tensor<T>.Uninitialized(kernel.Shape), bias is null ? null : Tensor<T>.Uninitialized(bias.Shape));
        try
        {
            var grad = (gradOutput ?? ones!).Span;
            Backward(geometry, input.Span, kernel.Span, grad, gradients.GradInput.Span, gradients.GradKernel.Span, gradients.GradBias is null ? default : gradients.GradBias.Span, cancellationToken);
            return gradients;
        }
        catch
        {
            gradients.Dispose();
            throw;
        }
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

        var planes = geometry.Batch * geometry.InChannels;
        var paddedLength = (int)geometry.PaddedShape.ElementCount!.Value;
        var padded = ArrayPool<T>.Shared.Rent(paddedLength);
        var gradPadded = ArrayPool<T>.Shared.Rent(paddedLength);
        try
        {
            Padding2d.Pad(input, planes, geometry.Axes[0], geometry.Axes[1], geometry.PaddingMode, padded);
            ConvKernels.BackwardKernel(geometry, padded.AsSpan(0, paddedLength), gradOutput, gradKernel, cancellationToken);
            ConvKernels.BackwardData(geometry, gradOutput, kernel, gradPadded.AsSpan(0, paddedLength), cancellationToken);
            Padding2d.Fold(gradPadded.AsSpan(0, paddedLength), planes, geometry.Axes[0], geometry.Axes[1], geometry.PaddingMode, gradInput);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(padded);
            ArrayPool<T>.Shared.Return(gradPadded);
        }
        if (!gradBias.IsEmpty)
            SumPerChannel(geometry, gradOutput, gradBias);
    }

    /// <summary>gradBias[o] = Σ_n Σ_i Σ_j gradOutput[n,o,i,j].</summary>
    private static void SumPerChannel<T>(ConvGeometry geometry, ReadOnlySpan<T> gradOutput, Span<T> gradBias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var plane = geometry.Axes[0].Output * geometry.Axes[1].Output;
        gradBias.Clear();
        for (var n = 0; n < geometry.Batch; n++)
        {
            for (var o = 0; o < geometry.OutChannels; o++)
            {
                var sum = T.Zero;
                foreach (var value in gradOutput.Slice((n * geometry.OutChannels + o) * plane, plane))
                    sum += value;
                gradBias[o] += sum;
            }
        }
    }
}
