global using PerAxis = ConvService.Api.Json.PerAxis<int>;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using ConvService.Domain.Geometry;

namespace ConvService.Api.Json;

/// <summary>
/// A per-axis option as the contract writes it: one value for every axis, or a list of d values in axis order
/// ([height, width] in 2-D). The request's spatialDims d resolves it; a list of another length is a field error
/// (<see cref="SpatialLayout.ListProblem"/>), never truncated or padded. Integers for strides, kernels and the like
/// (<c>PerAxis</c> is <c>PerAxis&lt;int&gt;</c>), integers or nulls for adaptive output sizes, numbers for output ratios.
/// </summary>
public readonly record struct PerAxis<T>
{
    private readonly ImmutableArray<T> _values;

    private PerAxis(bool forEveryAxis, ImmutableArray<T> values) => (ForEveryAxis, _values) = (forEveryAxis, values);

    /// <summary>Whether one value was sent for every axis (then <see cref="Values"/> holds it alone).</summary>
    public bool ForEveryAxis { get; }

    /// <summary>The list sent, or the one value.</summary>
    public ImmutableArray<T> Values => _values.IsDefault ? [] : _values;

    /// <summary>How many entries the list has, or null for one value (which fits every spatialDims).</summary>
    public int? Count => ForEveryAxis ? null : Values.Length;

    /// <summary>One value for every axis.</summary>
    public static PerAxis<T> ForAll(T value) => new(true, [value]);

    /// <summary>A list, one value per axis.</summary>
    public static PerAxis<T> Of(params ReadOnlySpan<T> values) => new(false, [.. values]);

    /// <summary>The d values: the one value repeated, or the list as sent.</summary>
    public ImmutableArray<T> ValuesFor(int spatialDims) => ForEveryAxis ? [.. Enumerable.Repeat(Values[0], spatialDims)] : Values;

    public bool Equals(PerAxis<T> other) => ForEveryAxis == other.ForEveryAxis && Values.SequenceEqual(other.Values);

    public override int GetHashCode() => HashCode.Combine(ForEveryAxis, Values.Length);

    /// <summary>"2", or "[2, 1]" as sent.</summary>
    public override string ToString() => ForEveryAxis ? Text(Values[0]) : $"[{string.Join(", ", Values.Select(Text))}]";

    private static string Text(T value) => value is null ? "null" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{value}");
}

public static class PerAxisExtensions
{
    /// <summary>The d integers of a per-axis integer option.</summary>
    public static Spatial Resolve(this PerAxis<int> values, int spatialDims) => new(values.ValuesFor(spatialDims).AsSpan());
}

/// <summary>
/// Reads and writes <see cref="PerAxis{T}"/>: one value, or an array of any length whose entries each read as
/// its type does (integers strictly, numbers finite, nulls where the type allows them).
/// </summary>
public sealed class PerAxisConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(PerAxis<>);

    // The three the contract uses, named: a converter made by reflection would need code generated at run time.
    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) => typeToConvert.GetGenericArguments()[0] switch
    {
        var t when t == typeof(int) => new Converter<int>(),
        var t when t == typeof(int?) => new Converter<int?>(),
        var t when t == typeof(double) => new Converter<double>(),
        var t => throw new NotSupportedException($"PerAxis<{t.Name}> has no converter"),
    };

    private sealed class Converter<T> : JsonConverter<PerAxis<T>>
    {
        private static readonly (string One, string Many) Kind = typeof(T) == typeof(double) ? ("a finite number", "finite numbers")
            : typeof(T) == typeof(int?) ? ("an integer or null", "integers or nulls")
            : ("an integer", "integers");

        public override PerAxis<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType is not (JsonTokenType.StartArray or JsonTokenType.Number))
                throw new WireFormatException($"expected {Kind.One} or a list of {Kind.Many}, one per spatial axis; got {TensorTokenParser.Describe(reader.TokenType)}");
            if (reader.TokenType != JsonTokenType.StartArray)
                return PerAxis<T>.ForAll(Value(ref reader, options, ""));
            var values = new List<T>(SpatialLayout.MaxSpatialDims);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                values.Add(Value(ref reader, options, $"a per-axis list holds {Kind.Many}; entry {values.Count}: "));
            return PerAxis<T>.Of([.. values]);
        }

        public override void Write(Utf8JsonWriter writer, PerAxis<T> value, JsonSerializerOptions options)
        {
            if (value.ForEveryAxis)
            {
                JsonSerializer.Serialize(writer, value.Values[0], options);
                return;
            }
            writer.WriteStartArray();
            foreach (var v in value.Values)
                JsonSerializer.Serialize(writer, v, options);
            writer.WriteEndArray();
        }

        // Each value reads as its own type does (StrictInt32Converter, StrictDoubleConverter, null for int?).
        private static T Value(ref Utf8JsonReader reader, JsonSerializerOptions options, string where)
        {
            try
            {
                return JsonSerializer.Deserialize<T>(ref reader, options)!;
            }
            catch (WireFormatException e)
            {
                throw new WireFormatException(where + e.Message);
            }
        }
    }
}
