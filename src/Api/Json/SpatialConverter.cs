using System.Text.Json;
using System.Text.Json.Serialization;
using ConvService.Domain.Geometry;

namespace ConvService.Api.Json;

/// <summary>An integer pair as the contract writes it: one integer for both axes, or <c>[height, width]</c>.</summary>
public sealed class SpatialConverter : JsonConverter<Spatial>
{
    public override Spatial Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TryRead(ref reader, out var value) ? value
            : throw new WireFormatException($"expected an integer or a pair [height, width] of integers; got {TensorTokenParser.Describe(reader.TokenType)}");

    /// <summary>Reads an int or a two-int array; false (reader left on the offending token) for anything else.</summary>
    internal static bool TryRead(ref Utf8JsonReader reader, out Spatial value)
    {
        value = default;
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (!reader.TryGetInt32(out var both))
                throw new WireFormatException($"expected an integer; got {System.Text.Encoding.UTF8.GetString(reader.ValueSpan)}");
            value = new Spatial(both, both);
            return true;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
            return false;
        Span<int> pair = stackalloc int[2];
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var v))
                throw new WireFormatException($"a pair [height, width] holds integers; entry {count} is {TensorTokenParser.Describe(reader.TokenType)}");
            if (count == 2)
                throw new WireFormatException("a pair [height, width] has exactly 2 entries; got more");
            pair[count++] = v;
        }
        if (count != 2)
            throw new WireFormatException($"a pair [height, width] has exactly 2 entries; got {count}");
        value = new Spatial(pair);
        return true;
    }

    public override void Write(Utf8JsonWriter writer, Spatial value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var v in value.Values)
            writer.WriteNumberValue(v);
        writer.WriteEndArray();
    }
}
