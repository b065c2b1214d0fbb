using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using ConvService.Domain.Geometry;

namespace ConvService.Api.Json;

/// <summary>
/// A per-axis integer option as the contract writes it: one integer for every axis, or a list of d integers in axis
/// order ([height, width] in 2-D). The request's spatialDims d resolves it; a list of another length is a field error
/// (<see cref="SpatialLayout.ListProblem"/>), never truncated or padded.
/// </summary>
public readonly record struct PerAxis
{
    private readonly ImmutableArray<int> _values;

    private PerAxis(int? all, ImmutableArray<int> values) => (All, _values) = (all, values);

    /// <summary>The one integer sent for every axis, or null when a list was sent.</summary>
    public int? All { get; }

    /// <summary>The list sent (empty when one integer was).</summary>
    public ImmutableArray<int> Values => _values.IsDefault ? [] : _values;

    /// <summary>How many entries the list has, or null for one integer (which fits every spatialDims).</summary>
    public int? Count => All is null ? Values.Length : null;

    public static PerAxis Of(int all) => new(all, []);

    public static PerAxis Of(params ReadOnlySpan<int> values) => new(null, [.. values]);

    /// <summary>The d values: the one integer repeated, or the list as sent.</summary>
    public Spatial Resolve(int spatialDims) => All is { } all ? Spatial.Repeat(all, spatialDims) : new Spatial(Values.AsSpan());

    public bool Equals(PerAxis other) => All == other.All && Values.AsSpan().SequenceEqual(other.Values.AsSpan());

    public override int GetHashCode() => HashCode.Combine(All, Values.Length);

    /// <summary>"2", or "[2, 1]" as sent.</summary>
    public override string ToString() => All is { } all ? all.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"[{string.Join(", ", Values)}]";
}

/// <summary>Reads and writes <see cref="PerAxis"/>: an integer, or an array of integers of any length.</summary>
public sealed class PerAxisConverter : JsonConverter<PerAxis>
{
    public override PerAxis Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
            return reader.TryGetInt32(out var all) ? PerAxis.Of(all) : throw new WireFormatException($"expected an integer; got {StrictInt32Converter.Got(reader)}");
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new WireFormatException($"expected an integer or a list of integers, one per spatial axis; got {JsonTensorConverter.Describe(reader.TokenType)}");
        var values = new List<int>(SpatialLayout.MaxSpatialDims);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var value))
                throw new WireFormatException($"a per-axis list holds integers; entry {values.Count} is {StrictInt32Converter.Got(reader)}");
            values.Add(value);
        }
        return PerAxis.Of([.. values]);
    }

    public override void Write(Utf8JsonWriter writer, PerAxis value, JsonSerializerOptions options)
    {
        if (value.All is { } all)
        {
            writer.WriteNumberValue(all);
            return;
        }
        writer.WriteStartArray();
        foreach (var v in value.Values)
            writer.WriteNumberValue(v);
        writer.WriteEndArray();
    }
}
