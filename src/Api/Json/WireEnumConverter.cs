using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvService.Api.Json;

/// <summary>
/// An enum as the contract spells it: kebab-case lower names ("zeros", "float64", "adaptive-max"), nothing else
/// (no numbers, no other casing), with an error that lists the allowed names.
/// </summary>
public sealed class WireEnumConverter<TEnum> : JsonConverter<TEnum> where TEnum : struct, Enum
{
    private static readonly FrozenDictionary<string, TEnum> ByName =
        Enum.GetValues<TEnum>().ToFrozenDictionary(NameOf, StringComparer.Ordinal);

    /// <summary>The names a client may send, in declaration order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetValues<TEnum>().Select(NameOf)];

    public static string NameOf(TEnum value) => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (text is not null && ByName.TryGetValue(text, out var value))
            return value;
        var got = text is null ? JsonTensorConverter.Describe(reader.TokenType) : $"\"{(text.Length > 40 ? text[..40] : text)}\"";
        throw new WireFormatException($"expected one of {string.Join(", ", Names.Select(n => $"\"{n}\""))}; got {got}");
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => writer.WriteStringValue(NameOf(value));
}
