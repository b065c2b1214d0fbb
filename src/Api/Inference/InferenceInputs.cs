using ConvService.Api.Json;
using ConvService.Domain.Tensors;

namespace ConvService.Api.Inference;

/// <summary>
/// The checks on a header's inputs that need no tensor yet: names against the model, one datatype of FP32 or FP64,
/// shapes against the per-tensor and per-request limits, and each binary size against shape × datatype. JSON data,
/// already read, is matched to its shape and reshaped.
/// </summary>
internal static class InferenceInputs
{
    /// <summary>A binary input to read after the header: <see cref="Bytes"/> of its shape in FP32 (<see cref="Single"/>) or FP64.</summary>
    public sealed record Binary(HeaderInput Input, string Label, TensorShape Shape, bool Single)
    {
        public long Bytes => Shape.ElementCount!.Value * (Single ? sizeof(float) : sizeof(double));

        public void Deconstruct(out HeaderInput input, out string label, out TensorShape shape, out bool single) =>
            (input, label, shape, single) = (Input, Label, Shape, Single);
    }

    public static (List<Binary> Binary, bool Single) Check(InferenceModel model, InferenceHeader header, int maxElementsPerTensor, ElementBudget budget)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < header.Inputs.Count; i++)
        {
            var input = header.Inputs[i];
            if (input.Name is null)
                throw InferenceException.BadRequest($"inputs[{i}] has no name; {model.Name}'s inputs are {model.InputList()}");
            if (model.Input(input.Name) is null)
                throw InferenceException.BadRequest($"{model.Name} has no input \"{input.Name}\"; its inputs are {model.InputList()}");
            if (!seen.Add(input.Name))
                throw InferenceException.BadRequest($"input \"{input.Name}\" appears twice");
        }
        foreach (var required in model.Inputs)
        {
            if (required.Required && !seen.Contains(required.Name))
                throw InferenceException.BadRequest($"{model.Name} needs input \"{required.Name}\"; its inputs are {model.InputList()}");
        }

        var single = Datatype(header);
        var binary = new List<Binary>();
        for (var i = 0; i < header.Inputs.Count; i++)
        {
            var input = header.Inputs[i];
            var label = input.Label(i);
            var shape = Shape(input, label, maxElementsPerTensor);
            if (input.Data is not null)
            {
                if (input.BinaryDataSize is not null)
                    throw InferenceException.BadRequest($"{label} has both data and binary_data_size; send the tensor one way");
                if (input.Data.Length != shape.ElementCount)
                    throw InferenceException.BadRequest($"{label}: data holds {input.Data.Length} values but shape [{string.Join(",", shape.Dims)}] needs {shape.ElementCount}");
                input.Data = input.Data.Reshape(shape);
                continue;
            }
            if (input.BinaryDataSize is not { } size)
                throw InferenceException.BadRequest($"{label} has neither data nor a binary_data_size parameter");
            var count = (int)shape.ElementCount!.Value;
            if (count > budget.Remaining)
                throw InferenceException.BadRequest($"{label}: shape [{string.Join(",", shape.Dims)}] holds {count} elements; the limit per request is {budget.Limit} across all tensors and {budget.Remaining} were left");
            budget.Spend(count);
            var entry = new Binary(input, label, shape, single);
            if (entry.Bytes != size)
                throw InferenceException.BadRequest($"{label}: binary_data_size {size} does not match shape [{string.Join(",", shape.Dims)}] of {input.Datatype}: {count} × {(single ? 4 : 8)} = {entry.Bytes} bytes");
            binary.Add(entry);
        }
        return (binary, single);
    }

    // Every input in one datatype, FP32 or FP64: it is the request's dtype.
    private static bool Datatype(InferenceHeader header)
    {
        for (var i = 0; i < header.Inputs.Count; i++)
        {
            var input = header.Inputs[i];
            if (input.Datatype is not ("FP32" or "FP64"))
                throw InferenceException.BadRequest(input.Datatype is null
                    ? $"{input.Label(i)} has no datatype; send FP32 or FP64"
                    : $"{input.Label(i)} has datatype {input.Datatype}; the models compute in FP32 or FP64");
        }
        for (var k = 1; k < header.Inputs.Count; k++)
        {
            if (header.Inputs[k].Datatype != header.Inputs[0].Datatype)
                throw InferenceException.BadRequest($"the inputs mix datatypes ({string.Join(", ", header.Inputs.Select((i, n) => $"{i.Name ?? $"inputs[{n}]"} {i.Datatype}"))}); send every input as FP32 or every input as FP64");
        }
        return header.Inputs.Count > 0 && header.Inputs[0].Datatype == "FP32";
    }

    private static TensorShape Shape(HeaderInput input, string label, int maxElementsPerTensor)
    {
        var dims = input.Shape ?? throw InferenceException.BadRequest($"{label} has no shape");
        var sizes = new int[dims.Length];
        long count = 1;
        for (var a = 0; a < dims.Length; a++)
        {
            var dim = dims[a];
            if (dim > maxElementsPerTensor || (dim > 0 && count > maxElementsPerTensor / dim))
                throw InferenceException.BadRequest($"{label}: shape [{string.Join(",", dims)}] holds more than {maxElementsPerTensor} elements, the limit per tensor");
            count *= dim;
            sizes[a] = (int)dim;
        }
        return new TensorShape(sizes);
    }
}
