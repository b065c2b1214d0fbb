using System.Text.Json;
using System.Text.Json.Serialization;
using ConvService.Domain.Geometry;

namespace ConvService.Api.Json;

/// <summary>Reads and writes <see cref="PaddingValue"/>: an integer, a list of integers or [begin, end] pairs, or one of the padding names.</summary>
public sealed class ConvPaddingConverter : JsonConverter<PaddingValue>
{
    private const string Expected = "an integer, a list of integers or [begin, end] pairs (one per axis), \"valid\", \"same\", \"same-upper\" or \"same-lower\"";

    private static readonly ConvPaddingKind[] Named = [ConvPaddingKind.Valid, ConvPaddingKind.Same, ConvPaddingKind.SameUpper, ConvPaddingKind.SameLower];

    /// <summary>The wire name of a padding kind: "same-upper".</summary>
    public static string NameOf(ConvPaddingKind kind) => JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString());

    public override PaddingValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                var text = reader.GetString()!;
                foreach (var kind in Named)
                {
                    if (text == NameOf(kind))
                        return PaddingValue.Of(kind);
                }
                throw new WireFormatException($"expected {Expected}; got \"{(text.Length > 40 ? text[..40] : text)}\"");
            case JsonTokenType.Number:
                return PaddingValue.Of(Integer(ref reader, "padding"));
            case JsonTokenType.StartArray:
                var entries = new List<(int, int, bool)>(SpatialLayout.MaxSpatialDims);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    entries.Add(Entry(ref reader, entries.Count));
                return PaddingValue.Of([.. entries]);
            default:
                throw new WireFormatException($"expected {Expected}; got {JsonTensorConverter.Describe(reader.TokenType)}");
        }
    }

    public override void Write(Utf8JsonWriter writer, PaddingValue value, JsonSerializerOptions options)
    {
        if (value.Kind != ConvPaddingKind.Explicit)
        {
            writer.WriteStringValue(NameOf(value.Kind));
            return;
        }
        if (value.All is { } all)
        {
            writer.WriteNumberValue(all);
            return;
        }
        writer.WriteStartArray();
        foreach (var (begin, end, pair) in value.Entries)
        {
            if (!pair)
            {
                writer.WriteNumberValue(begin);
                continue;
            }
            writer.WriteStartArray();
            writer.WriteNumberValue(begin);
            writer.WriteNumberValue(end);
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
    }

    /// <summary>One axis: an integer (both ends) or a [begin, end] pair.</summary>
    private static (int, int, bool) Entry(ref Utf8JsonReader reader, int index)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            var both = Integer(ref reader, $"entry {index}");
            return (both, both, false);
        }
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new WireFormatException($"padding entry {index} must be an integer or a [begin, end] pair; got {StrictInt32Converter.Got(reader)}");
        Span<int> pair = stackalloc int[2];
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (count == 2)
                throw new WireFormatException($"padding entry {index} is a [begin, end] pair of 2 integers; it has more");
            pair[count++] = Integer(ref reader, $"entry {index}");
        }
        return count == 2 ? (pair[0], pair[1], true) : throw new WireFormatException($"padding entry {index} is a [begin, end] pair of 2 integers; it has {count}");
    }

    private static int Integer(ref Utf8JsonReader reader, string what) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) ? value
            : throw new WireFormatException($"padding {what} must be an integer; got {StrictInt32Converter.Got(reader)}");
}
