using System.Collections.Immutable;

namespace ConvService.Domain.Geometry;

/// <summary>
/// One integer per spatial axis, outermost first ([height, width] in 2-D): strides, dilations, kernel sizes.
/// Rank-agnostic so that 1-D and 3-D operators can reuse the geometry.
/// </summary>
public readonly record struct Spatial
{
    private readonly ImmutableArray<int> _values;

    public Spatial(params ReadOnlySpan<int> values) => _values = [.. values];

    private Spatial(ImmutableArray<int> values) => _values = values;

    /// <summary>The same value on every one of <paramref name="rank"/> axes.</summary>
    /// <remarks>The defaults every request without strides, dilations or padding takes (1s and 0s) are made once.</remarks>
    public static Spatial Repeat(int value, int rank) =>
        value is 0 or 1 && (uint)rank < (uint)Defaults.Length ? Defaults[rank][value] : Filled(value, rank);

    private static readonly Spatial[][] Defaults = [.. Enumerable.Range(0, SpatialLayout.MaxSpatialDims + 1).Select(rank => new[] { Filled(0, rank), Filled(1, rank) })];

    private static Spatial Filled(int value, int rank)
    {
        var values = new int[rank];
        Array.Fill(values, value);
        return new(System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(values));
    }

    public int Rank => Values.Length;

    public ImmutableArray<int> Values => _values.IsDefault ? [] : _values;

    public int this[int axis] => Values[axis];

    public bool Equals(Spatial other) => Values.AsSpan().SequenceEqual(other.Values.AsSpan());

    public override int GetHashCode() => Values.Length == 0 ? 0 : HashCode.Combine(Values.Length, Values[0], Values[^1]);

    /// <summary>"3×3", the form error messages use.</summary>
    public override string ToString() => string.Join('×', Values);
}
