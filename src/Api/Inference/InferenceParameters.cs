using System.Buffers;
using System.Collections.Frozen;
using System.Text.Json;

namespace ConvService.Api.Inference;

/// <summary>
/// Turns the protocol's request parameters into the small fields of the model's JSON route: <c>padding_mode</c>
/// becomes <c>paddingMode</c>, a string holding a JSON array (<c>"[2,1]"</c>) becomes that array, and the inputs'
/// datatype becomes <c>dtype</c>. Those fields are then read by the route's own converters, so every option means,
/// and is refused, exactly as on the JSON route.
/// </summary>
internal static class InferenceParameters
{
    /// <summary>Parameters of the protocol itself: binary_data_output is honoured, tritonclient's scheduling ones have nothing to schedule.</summary>
    public static readonly FrozenSet<string> Protocol = FrozenSet.Create(StringComparer.Ordinal,
        "binary_data_output", "priority", "timeout", "sequence_id", "sequence_start", "sequence_end");

    public static byte[] ToNativeFields(InferenceModel model, InferenceHeader header, bool single)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            var written = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (name, value) in header.Parameters)
            {
                if (Protocol.Contains(name))
                    continue;
                if (!model.Parameters.Contains(name))
                    throw InferenceException.BadRequest($"{model.Name} takes no parameter \"{name}\"; its parameters are {string.Join(", ", model.Parameters)}");
                if (!written.Add(name))
                    throw InferenceException.BadRequest($"parameter {name} appears twice");
                writer.WritePropertyName(ProtocolNames.Camel(name));
                WriteValue(writer, name, value);
            }
            writer.WriteString("dtype"u8, single ? "float32"u8 : "float64"u8);
            if (model.SpatialDims is { } d)
                writer.WriteNumber("spatialDims"u8, d);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteValue(Utf8JsonWriter writer, string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not ['[', ..] text)
        {
            value.WriteTo(writer);
            return;
        }
        try
        {
            writer.WriteRawValue(text);
        }
        catch (Exception error) when (error is ArgumentException or JsonException)
        {
            throw InferenceException.BadRequest($"parameter {name} = \"{(text.Length > 40 ? text[..40] : text)}\" is not a JSON array; write per-axis values as \"[2,1]\"");
        }
    }
}
