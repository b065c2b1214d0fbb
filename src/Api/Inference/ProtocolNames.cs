using System.Text.Json;

namespace ConvService.Api.Inference;

/// <summary>Converts between the JSON routes' camelCase / kebab-case names and the protocol's snake_case ones.</summary>
public static class ProtocolNames
{
    /// <summary>"fractional-max" → "fractional_max"; "paddingMode" → "padding_mode".</summary>
    public static string Snake(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name.Replace('-', '_'));

    /// <summary>"padding_mode" → "paddingMode".</summary>
    public static string Camel(string name)
    {
        var parts = name.Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => p.Length == 0 ? "" : char.ToUpperInvariant(p[0]) + p[1..]));
    }

    /// <summary>A field named by the JSON route ("kernel", "gradOutput", "paddingMode"), as the protocol names it for <paramref name="model"/> ("weight", "grad_output", "padding_mode").</summary>
    public static string Protocol(InferenceModel model, string field) =>
        model.Inputs.FirstOrDefault(i => i.Field == field)?.Name ?? Snake(field);
}
