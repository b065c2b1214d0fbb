using System.Text.Json;
using System.Text.Json.Serialization;
using ConvService.Domain.Pooling;

namespace ConvService.Api.Json;

/// <summary>An output ratio: one number for both axes, or [height, width].</summary>
public sealed class PoolRatioConverter : JsonConverter<PoolRatio>
{
    public override PoolRatio Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            var both = Number(ref reader, "");
            return new PoolRatio(both, both);
        }
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new WireFormatException($"expected a number or a pair [height, width] of numbers; got {JsonTensorConverter.Describe(reader.TokenType)}");
        Span<double> pair = stackalloc double[2];
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (count == 2)
                throw new WireFormatException("a pair [height, width] has exactly 2 entries; got more");
            pair[count] = Number(ref reader, $"entry {count} of the pair: ");
            count++;
        }
        return count == 2 ? new PoolRatio(pair[0], pair[1]) : throw new WireFormatException($"a pair [height, width] has exactly 2 entries; got {count}");
    }

    public override void Write(Utf8JsonWriter writer, PoolRatio value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var ratio in value.Ratios)
            writer.WriteNumberValue(ratio);
        writer.WriteEndArray();
    }

    private static double Number(ref Utf8JsonReader reader, string where) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var v) && double.IsFinite(v) ? v
            : throw new WireFormatException($"{where}expected a finite number; got {StrictInt32Converter.Got(reader)}");
}
