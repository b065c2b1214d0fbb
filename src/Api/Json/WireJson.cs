using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ConvService.Api.Contracts;
using ConvService.Domain.Geometry;
using ConvService.Domain.Pooling;

namespace ConvService.Api.Json;

/// <summary>The JSON settings of the wire: the option converters, kebab-case enums and strict scalars.</summary>
public static class WireJson
{
    /// <summary>Deep enough for a rank-5 tensor inside the request object (and the padding list's pairs), and not much deeper.</summary>
    public const int MaxDepth = 8;

    /// <summary>The wire settings for request and response bodies.</summary>
    public static IServiceCollection AddWireJson(this IServiceCollection services) =>
        services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(options => Configure(options.SerializerOptions));

    public static void Configure(JsonSerializerOptions options)
    {
        options.MaxDepth = MaxDepth;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.TypeInfoResolver = JsonTypeInfoResolver.Combine(WireJsonContext.Default, options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver());
        options.Converters.Add(new PerAxisConverter());
        options.Converters.Add(new ConvPaddingConverter());
        options.Converters.Add(WireNames<PaddingMode>.Converter);
        options.Converters.Add(WireNames<DType>.Converter);
        options.Converters.Add(WireNames<PoolMode>.Converter);
        options.Converters.Add(new StrictInt32Converter());
        options.Converters.Add(new StrictDoubleConverter());
        options.Converters.Add(new StrictBooleanConverter());
    }

    private static readonly Dictionary<Type, string> EnumExpectations = new()
    {
        [typeof(PaddingMode)] = WireNames<PaddingMode>.Expected,
        [typeof(DType)] = WireNames<DType>.Expected,
        [typeof(PoolMode)] = WireNames<PoolMode>.Expected,
    };

    /// <summary>
    /// When <paramref name="path"/> ("$.paddingMode") is an enum field of <paramref name="requestType"/>, the problem
    /// naming the names it accepts and the value sent; otherwise null.
    /// </summary>
    internal static WireFormatException? EnumFieldProblem(Type requestType, ReadOnlySpan<byte> json, string? path, JsonSerializerOptions options)
    {
        var field = Errors.JsonProblems.FieldOf(path);
        var property = options.GetTypeInfo(requestType).Properties.FirstOrDefault(p => string.Equals(p.Name, field, StringComparison.OrdinalIgnoreCase));
        var type = property is null ? null : Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (type is null || !EnumExpectations.TryGetValue(type, out var expected))
            return null;
        using var document = JsonDocument.Parse(json.ToArray());
        var sent = document.RootElement.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, field, StringComparison.OrdinalIgnoreCase)).Value;
        var got = sent.ValueKind switch
        {
            JsonValueKind.String => $"\"{Truncate(sent.GetString()!)}\"",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Array => "an array",
            JsonValueKind.Object => "an object",
            _ => "null",
        };
        return new WireFormatException($"{expected}; got {got}", $"$.{property!.Name}");
    }

    private static string Truncate(string text) => text.Length > 40 ? text[..40] : text;
}
