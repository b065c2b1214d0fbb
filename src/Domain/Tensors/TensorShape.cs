using System.Collections.Immutable;

namespace ConvService.Domain.Tensors;

/// <summary>The dimensions of a dense row-major (C order) tensor, outermost first.</summary>
public readonly record struct TensorShape
{
    private readonly ImmutableArray<int> _dims;

    /// <summary>Creates a shape; every dimension must be ≥ 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    public TensorShape(params ReadOnlySpan<int> dims)
    {
        foreach (var d in dims)
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(dims));
        _dims = [.. dims];
    }

    public int Rank => Dims.Length;

    public ImmutableArray<int> Dims => _dims.IsDefault ? [] : _dims;

    public int this[int axis] => Dims[axis];

    /// <summary>The product of the dimensions, or <see langword="null"/> when it exceeds <see cref="long.MaxValue"/>.</summary>
    public long? ElementCount => CheckedProduct(Dims.AsSpan());

    /// <summary>The product of <paramref name="dims"/> without overflow, or <see langword="null"/> when it does not fit in a long.</summary>
    public static long? CheckedProduct(ReadOnlySpan<int> dims)
    {
        long count = 1;
        foreach (var d in dims)
        {
            if (d != 0 && count > long.MaxValue / d)
                return null;
            count *= d;
        }
        return count;
    }

    public bool Equals(TensorShape other) => Dims.AsSpan().SequenceEqual(other.Dims.AsSpan());

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var d in Dims)
            hash.Add(d);
        return hash.ToHashCode();
    }

    /// <summary>Writes the shape as "2×3×5", the form every error message uses.</summary>
    public override string ToString() => Dims.Length == 0 ? "scalar" : string.Join('×', Dims);
}
