using System.Collections.Immutable;

namespace ConvService.Api.Inference;

/// <summary>
/// One operator as the inference protocol sees it: a model named as PyTorch names the function (<c>conv2d</c>,
/// <c>max_pool2d_backward</c>), its tensors by protocol name, the parameters it takes, and the native operation
/// that binds, validates and computes it exactly as its JSON route does.
/// </summary>
/// <param name="Name">As PyTorch names the function: conv2d, conv_transpose1d, max_pool2d, with _backward for the gradients.</param>
/// <param name="Operation">The JSON route's request record, validation and handler.</param>
/// <param name="Inputs">By protocol name, with the JSON-route field each stands for.</param>
/// <param name="Outputs">By protocol name, in the order they are written.</param>
/// <param name="Parameters">The options it takes, by PyTorch's names.</param>
/// <param name="SpatialDims">The JSON route's spatialDims for this model (conv1d: 1); null where the route has none.</param>
public sealed record InferenceModel(string Name, ModelOperation Operation, ImmutableArray<ModelTensor> Inputs, ImmutableArray<ModelTensor> Outputs, ImmutableArray<string> Parameters, int? SpatialDims = null)
{
    /// <summary>The protocol's model version; the models have no other.</summary>
    public const string Version = "1";

    public ModelTensor? Input(string name)
    {
        foreach (var input in Inputs)
        {
            if (input.Name == name)
                return input;
        }
        return null;
    }

    /// <summary>The output that carries the native response's field <paramref name="field"/>.</summary>
    /// <exception cref="InvalidOperationException">No output does: the model's table and its operation disagree, a bug.</exception>
    public ModelTensor Output(string field)
    {
        foreach (var output in Outputs)
        {
            if (output.Field == field)
                return output;
        }
        throw new InvalidOperationException($"{Name} has no output for the field {field}");
    }

    /// <summary>The inputs as an error message lists them: "input, weight (required), bias".</summary>
    public string InputList() => string.Join(", ", Inputs.Select(i => i.Required ? $"{i.Name} (required)" : i.Name));
}

/// <summary>
/// A model's input or output: its protocol name (<c>weight</c>), the native field it stands for (<c>kernel</c>),
/// its datatype (null: FP32 or FP64, as the request's inputs) and its shape, −1 for a free axis.
/// </summary>
public sealed record ModelTensor(string Name, string Field, ImmutableArray<int> Shape, bool Required = false, string? Datatype = null)
{
    /// <summary>A free shape of <paramref name="rank"/> axes.</summary>
    public static ImmutableArray<int> Free(int rank) => [.. Enumerable.Repeat(-1, rank)];
}
