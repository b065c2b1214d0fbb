using ConvService.Api.Json;

namespace ConvService.Api.Contracts;

/// <summary>The output of a convolution or a transposed convolution, of the input's rank and wire form.</summary>
/// <param name="Output">(o…), (Cout, o…) or (N, Cout, o…), as the input's form.</param>
public sealed record ConvForwardResponse(TensorResult Output) : IDisposable
{
    public void Dispose() => Output.Dispose();
}
