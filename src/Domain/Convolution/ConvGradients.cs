using System.Numerics;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Convolution;

/// <summary>The gradients of a convolution or a transposed convolution, each of the shape and rank of what it is the gradient of; disposing returns their buffers.</summary>
/// <param name="GradInput">∂L/∂input, of the input's shape.</param>
/// <param name="GradKernel">∂L/∂kernel, of the kernel's shape.</param>
/// <param name="GradBias">∂L/∂bias (Cout), or <see langword="null"/> when the convolution had no bias.</param>
public sealed record ConvGradients<T>(Tensor<T> GradInput, Tensor<T> GradKernel, Tensor<T>? GradBias) : IDisposable
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rents gradients of the given shapes (no bias gradient when <paramref name="bias"/> is null) for <paramref name="fill"/> to write; they go back to the pool if fill throws.</summary>
    public static ConvGradients<T> Computed(TensorShape input, TensorShape kernel, TensorShape? bias, Action<ConvGradients<T>> fill)
    {
        var gradients = new ConvGradients<T>(Tensor<T>.Uninitialized(input), Tensor<T>.Uninitialized(kernel), bias is { } b ? Tensor<T>.Uninitialized(b) : null);
        try
        {
            fill(gradients);
            return gradients;
        }
        catch
        {
            gradients.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        GradInput.Dispose();
        GradKernel.Dispose();
        GradBias?.Dispose();
    }
}
