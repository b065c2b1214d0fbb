using System.Collections.Immutable;

namespace ConvService.Domain.Pooling;

/// <summary>
/// A requested output size, one entry per spatial axis (outermost first). A <see langword="null"/> entry (adaptive
/// pooling in 2-D and 3-D) keeps that axis's input size.
/// </summary>
public readonly record struct PoolOutputSize
{
    private readonly ImmutableArray<int?> _sizes;

    public PoolOutputSize(params ReadOnlySpan<int?> sizes) => _sizes = [.. sizes];

    public ImmutableArray<int?> Sizes => _sizes.IsDefault ? [] : _sizes;

    public int Rank => Sizes.Length;

    public bool Equals(PoolOutputSize other) => Sizes.AsSpan().SequenceEqual(other.Sizes.AsSpan());

    public override int GetHashCode() => Sizes.Length == 0 ? 0 : HashCode.Combine(Sizes.Length, Sizes[0], Sizes[^1]);

    /// <summary>"3×none", the form error messages use.</summary>
    public override string ToString() => string.Join('×', Sizes.Select(s => s?.ToString() ?? "none"));
}

/// <summary>A fractional-max output ratio, one entry per spatial axis: output = floor(input · ratio).</summary>
public readonly record struct PoolRatio
{
    private readonly ImmutableArray<double> _ratios;

    public PoolRatio(params ReadOnlySpan<double> ratios) => _ratios = [.. ratios];

    public ImmutableArray<double> Ratios => _ratios.IsDefault ? [] : _ratios;

    public int Rank => Ratios.Length;

    public bool Equals(PoolRatio other) => Ratios.AsSpan().SequenceEqual(other.Ratios.AsSpan());

    public override int GetHashCode() => Ratios.Length == 0 ? 0 : HashCode.Combine(Ratios.Length, Ratios[0], Ratios[^1]);

    public override string ToString() => string.Join('×', Ratios.Select(r => r.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
}
