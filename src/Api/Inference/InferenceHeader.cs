using System.Text.Json;
using ConvService.Api.Wire;

namespace ConvService.Api.Inference;

/// <summary>
/// The JSON part of an inference request: <c>{"id", "parameters", "inputs": [...], "outputs": [...]}</c>. An input's
/// <c>data</c>, when the tensor travels as JSON, is already read into its pooled buffer; binary inputs carry their
/// <c>binary_data_size</c> and are read after the header.
/// </summary>
public sealed class InferenceHeader : IDisposable
{
    public string? Id { get; set; }

    /// <summary>The request-level parameters in the order sent; values are numbers, booleans or strings.</summary>
    public List<KeyValuePair<string, JsonElement>> Parameters { get; } = [];

    public List<HeaderInput> Inputs { get; } = [];

    /// <summary>The outputs asked for, or null for every output the model produces.</summary>
    public List<HeaderOutput>? Outputs { get; set; }

    /// <summary>The request's <c>binary_data_output</c>: every output in binary unless it says otherwise.</summary>
    public bool BinaryDataOutput => Parameters.LastOrDefault(p => p.Key == "binary_data_output").Value.ValueKind == JsonValueKind.True;

    public void Dispose()
    {
        foreach (var input in Inputs)
            input.Data?.Dispose();
    }
}

/// <summary>One entry of <c>inputs</c>.</summary>
public sealed class HeaderInput
{
    public string? Name { get; set; }

    public long[]? Shape { get; set; }

    public string? Datatype { get; set; }

    /// <summary>The <c>binary_data_size</c> parameter: the tensor's bytes follow the header.</summary>
    public long? BinaryDataSize { get; set; }

    /// <summary>The tensor read from <c>data</c> (shaped as the JSON nests it, reshaped once the shape is checked).</summary>
    public RequestTensor? Data { get; set; }

    /// <summary>How messages name it: <c>input "weight"</c>, or its position when it has no name.</summary>
    public string Label(int index) => Name is null ? $"inputs[{index}]" : $"input \"{Name}\"";
}

/// <summary>One entry of <c>outputs</c>: an output asked for, and whether in binary.</summary>
public sealed record HeaderOutput(string Name, bool? BinaryData);
