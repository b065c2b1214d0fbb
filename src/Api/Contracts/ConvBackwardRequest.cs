using System.Collections.Frozen;
using ConvService.Api.Json;
using ConvService.Api.Wire;

namespace ConvService.Api.Contracts;

/// <summary>The gradients of a 2-D convolution: the forward fields plus the gradient flowing back into its output.</summary>
public sealed record ConvBackwardRequest : ConvRequest, IJsonBodyRequest<ConvBackwardRequest>
{
    /// <summary>∂L/∂output, of the forward output's shape. Optional: absent means all ones (the gradient of the output's sum).</summary>
    public RequestTensor? GradOutput { get; init; }

    public static FrozenSet<string> TensorFields { get; } = TensorArguments.Names("input", "kernel", "bias", "gradOutput");

    public ConvBackwardRequest WithTensors(TensorArguments tensors) =>
        this with { Input = tensors.Take("input"), Kernel = tensors.Take("kernel"), Bias = tensors.Take("bias"), GradOutput = tensors.Take("gradOutput") };

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        GradOutput?.Dispose();
    }
}
