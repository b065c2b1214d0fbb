using System.Text.Json;
using System.Text.Json.Serialization;
using ConvService.Domain.Tensors;

namespace ConvService.Api.Json;

/// <summary>
/// Reads a tensor in either wire form straight from the JSON tokens into one pooled contiguous buffer: no tree,
/// no lists of lists. Nested arrays must be rectangular; numbers may also be "NaN", "Infinity" or "-Infinity".
/// </summary>
public sealed class JsonTensorConverter(int maxElements = JsonTensorConverter.DefaultMaxElements) : JsonConverter<JsonTensor>
{
    public const int DefaultMaxElements = 16 * 1024 * 1024;

    /// <summary>The deepest nesting a tensor may have; the operators take rank 4 at most.</summary>
    public const int MaxRank = 4;

    public override JsonTensor Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var budget = ElementBudget.Current;
        var builder = budget is null || budget.Remaining >= maxElements
            ? new TensorBufferBuilder(maxElements, $"the limit per tensor is {maxElements}")
            : new TensorBufferBuilder(budget.Remaining, $"the limit per request is {budget.Limit} across all tensors and {budget.Remaining} were left");
        try
        {
            var tensor = reader.TokenType switch
            {
                JsonTokenType.StartArray => ReadNested(ref reader, ref builder),
                JsonTokenType.StartObject => ReadFlat(ref reader, ref builder),
                _ => throw new WireFormatException($"expected a tensor (nested arrays of numbers, or {{\"shape\": [...], \"data\": [...]}}); got {Describe(reader.TokenType)}"),
            };
            budget?.Spend(tensor.Length);
            return tensor;
        }
        catch
        {
            builder.Release();
            throw;
        }
    }

    public override void Write(Utf8JsonWriter writer, JsonTensor value, JsonSerializerOptions options) =>
        TensorWriter.Write(writer, value.Shape, value.Data, value.Form);

    private static JsonTensor ReadNested(ref Utf8JsonReader reader, ref TensorBufferBuilder builder)
    {
        Span<int> shape = [-1, -1, -1, -1];
        Span<int> index = stackalloc int[MaxRank];
        var rank = -1;
        var deepest = 0;
        var depth = 0;
        do
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray:
                    if (depth == MaxRank)
                        throw new WireFormatException($"nested deeper than rank {MaxRank} at {Path(index, depth, open: true)}");
                    if (rank >= 0 && depth >= rank)
                        throw new WireFormatException($"ragged array: {Path(index, depth, open: true)} is an array where a number was expected (rank {rank})");
                    if (depth > 0)
                        index[depth - 1]++;
                    index[depth++] = 0;
                    deepest = Math.Max(deepest, depth);
                    break;
                case JsonTokenType.EndArray:
                    depth--;
                    if (shape[depth] < 0)
                        shape[depth] = index[depth];
                    else if (shape[depth] != index[depth])
                        throw new WireFormatException($"ragged array: {Path(index, depth, open: false)} has {index[depth]} entries where the first array at that depth has {shape[depth]}");
                    break;
                default:
                    rank = rank < 0 ? depth : rank;
                    if (depth != rank || deepest > rank)
                        throw new WireFormatException($"ragged array: {Path(index, depth, open: true)} is a number where an array was expected");
                    if (!TryReadNumber(ref reader, out var value))
                        throw InvalidNumber(reader, Path(index, depth, open: true));
                    builder.Add(value);
                    index[depth - 1]++;
                    break;
            }
        }
        while (depth > 0 && reader.Read());

        var dims = shape[..(rank < 0 ? deepest : rank)];
        return new JsonTensor(new TensorShape(dims), builder.Detach(), builder.Count, WireForm.Nested);
    }

    private static JsonTensor ReadFlat(ref Utf8JsonReader reader, ref TensorBufferBuilder builder)
    {
        int[]? shape = null;
        var sawData = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("shape"u8))
            {
                reader.Read();
                shape = ReadShape(ref reader);
                var count = TensorShape.CheckedProduct(shape);
                if (count is null || count > builder.MaxElements)
                    throw new WireFormatException($"shape {string.Join('×', shape)} holds {(count is null ? "too many" : count)} elements; {builder.LimitText}");
                builder.Reserve((int)count.Value);
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                ReadData(ref reader, ref builder);
                sawData = true;
            }
            else
                throw new WireFormatException($"a flat tensor has only \"shape\" and \"data\"; got \"{reader.GetString()}\"");
        }
        if (shape is null || !sawData)
            throw new WireFormatException($"a flat tensor needs both \"shape\" and \"data\"; \"{(shape is null ? "shape" : "data")}\" is missing");
        var expected = TensorShape.CheckedProduct(shape);
        if (expected != builder.Count)
            throw new WireFormatException($"shape {string.Join('×', shape)} holds {expected} elements but data has {builder.Count}");
        return new JsonTensor(new TensorShape(shape), builder.Detach(), builder.Count, WireForm.Flat);
    }

    private static int[] ReadShape(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new WireFormatException($"\"shape\" must be an array of dimensions; got {Describe(reader.TokenType)}");
        var dims = new List<int>(MaxRank);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var dim) || dim < 0)
                throw new WireFormatException($"\"shape\" entries must be integers ≥ 0; entry {dims.Count} is not");
            if (dims.Count == MaxRank)
                throw new WireFormatException($"\"shape\" has more than {MaxRank} dimensions");
            dims.Add(dim);
        }
        return [.. dims];
    }

    private static void ReadData(ref Utf8JsonReader reader, ref TensorBufferBuilder builder)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new WireFormatException($"\"data\" must be a flat array of numbers; got {Describe(reader.TokenType)}");
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.StartArray)
                throw new WireFormatException($"\"data\" must be flat; data[{index}] is an array");
            if (!TryReadNumber(ref reader, out var value))
                throw InvalidNumber(reader, $"data[{index}]");
            builder.Add(value);
            index++;
        }
    }

    private static bool TryReadNumber(ref Utf8JsonReader reader, out double value)
    {
        if (reader.TokenType == JsonTokenType.Number)
            return reader.TryGetDouble(out value) && double.IsFinite(value);
        value = reader.TokenType != JsonTokenType.String ? 0
            : reader.ValueTextEquals("NaN"u8) ? double.NaN
            : reader.ValueTextEquals("Infinity"u8) ? double.PositiveInfinity
            : reader.ValueTextEquals("-Infinity"u8) ? double.NegativeInfinity
            : 0;
        return !double.IsFinite(value);
    }

    private static WireFormatException InvalidNumber(in Utf8JsonReader reader, string where) => new(reader.TokenType switch
    {
        JsonTokenType.Number => $"{where} = {Truncate(reader)} overflows to infinity; send \"Infinity\" or \"-Infinity\" to mean it",
        JsonTokenType.String => $"{where} is the string {Truncate(reader)}; only numbers, \"NaN\", \"Infinity\" and \"-Infinity\" are allowed",
        _ => $"{where} is {Describe(reader.TokenType)}; expected a number",
    });

    /// <summary>"[1][0]": where the reader is. With <paramref name="open"/> the innermost entry is the one being read, not yet counted.</summary>
    private static string Path(ReadOnlySpan<int> index, int depth, bool open)
    {
        var parts = new string[depth];
        for (var d = 0; d < depth; d++)
            parts[d] = $"[{(open && d == depth - 1 ? index[d] : index[d] - 1)}]";
        return string.Concat(parts);
    }

    private static string Truncate(in Utf8JsonReader reader)
    {
        var text = System.Text.Encoding.UTF8.GetString(reader.ValueSpan.Length > 40 ? reader.ValueSpan[..40] : reader.ValueSpan);
        return reader.TokenType == JsonTokenType.String ? $"\"{text}\"" : text;
    }

    internal static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
