using System.Collections.Frozen;
using ConvService.Api.Json;
using ConvService.Api.Wire;

namespace ConvService.Api.Contracts;

/// <summary>A 2-D convolution (cross-correlation) with the options of PyTorch's <c>conv2d</c>.</summary>
public sealed record ConvForwardRequest : ConvRequest, IJsonBodyRequest<ConvForwardRequest>
{
    public static FrozenSet<string> TensorFields { get; } = TensorArguments.Names("input", "kernel", "bias");

    public ConvForwardRequest WithTensors(TensorArguments tensors) =>
        this with { Input = tensors.Take("input"), Kernel = tensors.Take("kernel"), Bias = tensors.Take("bias") };
}
