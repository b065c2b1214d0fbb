using System.Text.Json;
using ConvService.Api.Json;

namespace ConvService.Api.Inference;

/// <summary>
/// Reads the JSON header of an inference request, token by token. Each input's <c>data</c> goes through the same
/// tensor token parser as the JSON routes' tensors, into a pooled buffer capped by the same limits.
/// </summary>
internal static class InferenceHeaderReader
{
    public static InferenceHeader Read(ReadOnlySpan<byte> json, int maxElementsPerTensor, ElementBudget budget)
    {
        var header = new InferenceHeader();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 16 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw InferenceException.BadRequest("the inference header must be a JSON object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "id":
                        header.Id = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw InferenceException.BadRequest("\"id\" must be a string");
                        break;
                    case "parameters":
                        ReadParameters(ref reader, header.Parameters);
                        break;
                    case "inputs":
                        ReadInputs(ref reader, header, maxElementsPerTensor, budget);
                        break;
                    case "outputs":
                        header.Outputs = ReadOutputs(ref reader);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
            return header;
        }
        catch (JsonException error) when (error is not WireFormatException)
        {
            header.Dispose();
            throw InferenceException.BadRequest($"the inference header is not valid JSON: {error.Message.Split(" LineNumber:")[0].TrimEnd('.')}");
        }
        catch
        {
            header.Dispose();
            throw;
        }
    }

    private static void ReadParameters(ref Utf8JsonReader reader, List<KeyValuePair<string, JsonElement>> parameters)
    {
        Expect(ref reader, JsonTokenType.StartObject, "\"parameters\" must be an object");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            var value = JsonElement.ParseValue(ref reader);
            if (value.ValueKind is JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null)
                throw InferenceException.BadRequest($"parameter {name} is {Kind(value)}; a parameter is a number, a boolean or a string (per-axis values as a string holding a JSON array, \"[2,1]\")");
            parameters.Add(new(name, value));
        }
    }

    private static void ReadInputs(ref Utf8JsonReader reader, InferenceHeader header, int maxElementsPerTensor, ElementBudget budget)
    {
        Expect(ref reader, JsonTokenType.StartArray, "\"inputs\" must be an array");
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var index = header.Inputs.Count;
            if (reader.TokenType != JsonTokenType.StartObject)
                throw InferenceException.BadRequest($"inputs[{index}] must be an object");
            var input = new HeaderInput();
            header.Inputs.Add(input);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "name":
                        input.Name = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw InferenceException.BadRequest($"inputs[{index}].name must be a string");
                        break;
                    case "datatype":
                        input.Datatype = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw InferenceException.BadRequest($"{input.Label(index)}: datatype must be a string");
                        break;
                    case "shape":
                        input.Shape = ReadShape(ref reader, input, index);
                        break;
                    case "parameters":
                        input.BinaryDataSize = ReadInputParameters(ref reader, input, index);
                        break;
                    case "data":
                        input.Data?.Dispose();
                        input.Data = ReadData(ref reader, input, index, maxElementsPerTensor, budget);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
        }
    }

    // The input's label (input "weight", or inputs[1] before its name) is made only for an error message.
    private static long[] ReadShape(ref Utf8JsonReader reader, HeaderInput input, int index)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw InferenceException.BadRequest($"{input.Label(index)}: shape must be an array of integers ≥ 0");
        var shape = new List<long>(4);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var dim) || dim < 0)
                throw InferenceException.BadRequest($"{input.Label(index)}: shape entry {shape.Count} is not an integer ≥ 0");
            if (shape.Count == 8)
                throw InferenceException.BadRequest($"{input.Label(index)}: shape has more than 8 dimensions");
            shape.Add(dim);
        }
        return [.. shape];
    }

    private static long? ReadInputParameters(ref Utf8JsonReader reader, HeaderInput input, int index)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw InferenceException.BadRequest($"{input.Label(index)}: parameters must be an object");
        long? size = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (name == "binary_data_size")
            {
                size = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var n) && n >= 0 ? n
                    : throw InferenceException.BadRequest($"{input.Label(index)}: binary_data_size must be an integer ≥ 0");
            }
            else if (name.StartsWith("shared_memory", StringComparison.Ordinal))
                throw InferenceException.BadRequest($"{input.Label(index)}: {name}: shared memory is not supported; send the tensor in the body (binary_data_size) or as data");
            else
                reader.Skip();
        }
        return size;
    }

    private static Wire.RequestTensor ReadData(ref Utf8JsonReader reader, HeaderInput input, int index, int maxElementsPerTensor, ElementBudget budget)
    {
        var parser = TensorTokenParser.WithinBudget(maxElementsPerTensor, budget, TensorBufferBuilder.MaxReserve);
        try
        {
            parser.Start(ref reader);
            return parser.Finish();
        }
        catch (WireFormatException error)
        {
            parser.Release();
            throw InferenceException.BadRequest($"{input.Label(index)}: data {error.Message}");
        }
    }

    private static List<HeaderOutput> ReadOutputs(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray, "\"outputs\" must be an array");
        var outputs = new List<HeaderOutput>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
                throw InferenceException.BadRequest($"outputs[{outputs.Count}] must be an object");
            string? name = null;
            bool? binary = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = reader.GetString();
                reader.Read();
                if (field == "name")
                    name = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw InferenceException.BadRequest($"outputs[{outputs.Count}].name must be a string");
                else if (field == "parameters")
                    binary = ReadOutputParameters(ref reader, outputs.Count);
                else
                    reader.Skip();
            }
            outputs.Add(new HeaderOutput(name ?? throw InferenceException.BadRequest($"outputs[{outputs.Count}] has no name"), binary));
        }
        return outputs;
    }

    private static bool? ReadOutputParameters(ref Utf8JsonReader reader, int index)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw InferenceException.BadRequest($"outputs[{index}].parameters must be an object");
        bool? binary = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (name == "binary_data")
                binary = reader.TokenType is JsonTokenType.True or JsonTokenType.False ? reader.GetBoolean() : throw InferenceException.BadRequest($"outputs[{index}]: binary_data must be true or false");
            else if (name is "classification" || name.StartsWith("shared_memory", StringComparison.Ordinal))
                throw InferenceException.BadRequest($"outputs[{index}]: {name} is not supported by these models");
            else
                reader.Skip();
        }
        return binary;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token, string message)
    {
        if (reader.TokenType != token)
            throw InferenceException.BadRequest(message);
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => "null",
    };
}
