using System.Text.Json.Serialization;
using ConvService.Api.Json;
using ConvService.Domain.Convolution;

namespace ConvService.Api.Contracts;

/// <summary>The gradients of a convolution or a transposed convolution, each of the shape and rank of what it is the gradient of, in the input's wire form.</summary>
/// <param name="GradInput">∂L/∂input, of the input's shape.</param>
/// <param name="GradKernel">∂L/∂kernel, of the kernel's shape.</param>
/// <param name="GradBias">∂L/∂bias (Cout values); present only when the request sent a bias.</param>
public sealed record ConvBackwardResponse(
    TensorResult GradInput,
    TensorResult GradKernel,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TensorResult? GradBias) : IDisposable
{
    /// <summary>Takes ownership of <paramref name="gradients"/>' tensors, to be written in <paramref name="form"/>.</summary>
    public static ConvBackwardResponse From<T>(ConvGradients<T> gradients, WireForm form) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        new(TensorResult.From(gradients.GradInput, form), TensorResult.From(gradients.GradKernel, form), gradients.GradBias is null ? null : TensorResult.From(gradients.GradBias, form));

    public void Dispose()
    {
        GradInput.Dispose();
        GradKernel.Dispose();
        GradBias?.Dispose();
    }
}
