using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvService.Api.Json;

/// <summary>
/// A number in a learn-mode answer: shortest round-trip digits, and "NaN", "Infinity", "-Infinity" for the values
/// JSON has no numbers for (as tensors write them). Answers are written, never read.
/// </summary>
public sealed class LearnNumberConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("learn-mode numbers are written, not read");

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => Write(writer, value);

    internal static void Write(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
            writer.WriteNumberValue(value);
        else
            writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }
}

/// <summary><see cref="LearnNumberConverter"/> for an optional number (left out when null).</summary>
public sealed class LearnOptionalNumberConverter : JsonConverter<double?>
{
    public override double? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("learn-mode numbers are written, not read");

    public override void Write(Utf8JsonWriter writer, double? value, JsonSerializerOptions options)
    {
        if (value is { } number)
            LearnNumberConverter.Write(writer, number);
        else
            writer.WriteNullValue();
    }
}
