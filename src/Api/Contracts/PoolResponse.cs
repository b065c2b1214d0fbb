using System.Text.Json.Serialization;
using ConvService.Api.Json;

namespace ConvService.Api.Contracts;

/// <summary>The pooled output, in the input's rank and wire form.</summary>
/// <param name="Output">Of the input's rank: N and C kept, (Ho, Wo) pooled.</param>
/// <param name="Indices">When returnIndices: each output's flat position h·W + w in its input plane.</param>
/// <param name="RandomSamples">fractional-max: the samples used, so that the result can be reproduced.</param>
public sealed record PoolResponse(
    TensorResult Output,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TensorResult? Indices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TensorResult? RandomSamples) : ITensorResponse
{
    public IEnumerable<(string Name, TensorResult Tensor)> Tensors
    {
        get
        {
            yield return ("output", Output);
            if (Indices is not null)
                yield return ("indices", Indices);
            if (RandomSamples is not null)
                yield return ("randomSamples", RandomSamples);
        }
    }

    public void Dispose()
    {
        Output.Dispose();
        Indices?.Dispose();
        RandomSamples?.Dispose();
    }
}

/// <summary>The gradient with respect to the input.</summary>
/// <param name="GradInput">Of the input's shape and wire form.</param>
public sealed record PoolBackwardResponse(TensorResult GradInput) : ITensorResponse
{
    public IEnumerable<(string Name, TensorResult Tensor)> Tensors => [("gradInput", GradInput)];

    public void Dispose() => GradInput.Dispose();
}
