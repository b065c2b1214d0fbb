using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvService.Api.Json;

/// <summary>An integer field: a JSON number without fraction that fits in 32 bits; not a string, not 1.5.</summary>
public sealed class StrictInt32Converter : JsonConverter<int>
{
    public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) ? value
            : throw new WireFormatException($"expected an integer; got {Got(reader)}");

    public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) => writer.WriteNumberValue(value);

    internal static string Got(in Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Number
        ? System.Text.Encoding.UTF8.GetString(reader.ValueSpan.Length > 40 ? reader.ValueSpan[..40] : reader.ValueSpan)
        : TensorTokenParser.Describe(reader.TokenType);
}

/// <summary>A real-number field: a finite JSON number; not a string.</summary>
public sealed class StrictDoubleConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var value) && double.IsFinite(value) ? value
            : throw new WireFormatException($"expected a finite number; got {StrictInt32Converter.Got(reader)}");

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}

/// <summary>A flag: true or false, not "true" or 1.</summary>
public sealed class StrictBooleanConverter : JsonConverter<bool>
{
    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw new WireFormatException($"expected true or false; got {StrictInt32Converter.Got(reader)}"),
    };

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
}
