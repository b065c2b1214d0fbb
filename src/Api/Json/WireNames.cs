using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvService.Api.Json;

/// <summary>
/// An enum as the contract spells it: kebab-case lower names ("zeros", "float64", "adaptive-max"), read and written by
/// System.Text.Json's own <see cref="JsonStringEnumConverter{TEnum}"/> (no numbers). A value it refuses is reported by
/// <see cref="JsonBodyBinder"/> with <see cref="Expected"/>, which lists the names.
/// </summary>
public static class WireNames<TEnum> where TEnum : struct, Enum
{
    public static JsonStringEnumConverter<TEnum> Converter { get; } = new(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false);

    /// <summary>The names a client may send, in declaration order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetValues<TEnum>().Select(NameOf)];

    public static string NameOf(TEnum value) => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    /// <summary>"expected one of "zeros", "reflect", …": the error for a value that is not one of the names.</summary>
    public static string Expected => $"expected one of {string.Join(", ", Names.Select(n => $"\"{n}\""))}";
}
