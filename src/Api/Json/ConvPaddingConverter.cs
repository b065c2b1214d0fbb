using System.Text.Json;
using System.Text.Json.Serialization;
using ConvService.Domain.Geometry;

namespace ConvService.Api.Json;

/// <summary>Convolution padding: an integer, a pair <c>[height, width]</c>, <c>"same"</c> or <c>"valid"</c>.</summary>
public sealed class ConvPaddingConverter : JsonConverter<ConvPadding>
{
    public override ConvPadding Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("same"u8))
                return ConvPadding.Same;
            if (reader.ValueTextEquals("valid"u8))
                return ConvPadding.Valid;
            throw new WireFormatException($"expected an integer, a pair [height, width], \"same\" or \"valid\"; got \"{reader.GetString()}\"");
        }
        return SpatialConverter.TryRead(ref reader, out var amounts) ? ConvPadding.Explicit(amounts)
            : throw new WireFormatException($"expected an integer, a pair [height, width], \"same\" or \"valid\"; got {JsonTensorConverter.Describe(reader.TokenType)}");
    }

    public override void Write(Utf8JsonWriter writer, ConvPadding value, JsonSerializerOptions options)
    {
        switch (value.Kind)
        {
            case ConvPaddingKind.Same:
                writer.WriteStringValue("same"u8);
                break;
            case ConvPaddingKind.Valid:
                writer.WriteStringValue("valid"u8);
                break;
            default:
                new SpatialConverter().Write(writer, value.Begin, options);
                break;
        }
    }
}
