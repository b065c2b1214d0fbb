using System.Text.Json;
using System.Text.Json.Serialization;
using ConvService.Domain.Pooling;

namespace ConvService.Api.Json;

/// <summary>An output size: one integer for both axes, or [height, width] whose entries may be null (keep that axis).</summary>
public sealed class PoolOutputSizeConverter : JsonConverter<PoolOutputSize>
{
    public override PoolOutputSize Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            var both = reader.TryGetInt32(out var v) ? v : throw new WireFormatException($"expected an integer; got {StrictInt32Converter.Got(reader)}");
            return new PoolOutputSize(both, both);
        }
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new WireFormatException($"expected an integer or a pair [height, width] of integers or nulls; got {JsonTensorConverter.Describe(reader.TokenType)}");
        Span<int?> pair = stackalloc int?[2];
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            int? entry = reader.TokenType switch
            {
                JsonTokenType.Null => null,
                JsonTokenType.Number when reader.TryGetInt32(out var n) => n,
                _ => throw new WireFormatException($"a pair [height, width] holds integers or nulls; entry {count} is {StrictInt32Converter.Got(reader)}"),
            };
            if (count == 2)
                throw new WireFormatException("a pair [height, width] has exactly 2 entries; got more");
            pair[count++] = entry;
        }
        return count == 2 ? new PoolOutputSize(pair[0], pair[1]) : throw new WireFormatException($"a pair [height, width] has exactly 2 entries; got {count}");
    }

    public override void Write(Utf8JsonWriter writer, PoolOutputSize value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var entry in value.Sizes)
        {
            if (entry is { } v)
                writer.WriteNumberValue(v);
            else
                writer.WriteNullValue();
        }
        writer.WriteEndArray();
    }
}
