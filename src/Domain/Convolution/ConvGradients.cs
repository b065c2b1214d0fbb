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
    public void Dispose()
    {
        GradInput.Dispose();
        GradKernel.Dispose();
        GradBias?.Dispose();
    }
}
