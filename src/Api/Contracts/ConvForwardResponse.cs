using ConvService.Api.Json;

namespace ConvService.Api.Contracts;

/// <summary>The convolution's output, of the input's rank and wire form.</summary>
/// <param name="Output">(Ho, Wo), (Cout, Ho, Wo) or (N, Cout, Ho, Wo).</param>
public sealed record ConvForwardResponse(TensorResult Output) : ITensorResponse
{
    public IEnumerable<(string Name, TensorResult Tensor)> Tensors => [("output", Output)];

    public void Dispose() => Output.Dispose();
}
