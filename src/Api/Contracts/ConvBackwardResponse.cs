using System.Text.Json.Serialization;
using ConvService.Api.Json;

namespace ConvService.Api.Contracts;

/// <summary>The convolution's gradients, each of the shape and rank of what it is the gradient of, in the input's wire form.</summary>
/// <param name="GradInput">∂L/∂input, of the input's shape.</param>
/// <param name="GradKernel">∂L/∂kernel, of the kernel's shape.</param>
/// <param name="GradBias">∂L/∂bias (Cout values); present only when the request sent a bias.</param>
public sealed record ConvBackwardResponse(
    TensorResult GradInput,
    TensorResult GradKernel,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TensorResult? GradBias) : ITensorResponse
{
    public IEnumerable<(string Name, TensorResult Tensor)> Tensors =>
        GradBias is null ? [("gradInput", GradInput), ("gradKernel", GradKernel)] : [("gradInput", GradInput), ("gradKernel", GradKernel), ("gradBias", GradBias)];

    public void Dispose()
    {
        GradInput.Dispose();
        GradKernel.Dispose();
        GradBias?.Dispose();
    }
}
