namespace ConvService.Domain.Pooling;

/// <summary>A requested output size; a <see langword="null"/> entry (adaptive pooling only) keeps that axis's input size.</summary>
public readonly record struct PoolOutputSize(int? Height, int? Width)
{
    /// <summary>The entry of <paramref name="axis"/> (0 = height, 1 = width).</summary>
    public int? this[int axis] => axis == 0 ? Height : Width;

    /// <summary>"3×none", the form error messages use.</summary>
    public override string ToString() => $"{Height?.ToString() ?? "none"}×{Width?.ToString() ?? "none"}";
}

/// <summary>A fractional-max output ratio per axis: output = floor(input · ratio).</summary>
public readonly record struct PoolRatio(double Height, double Width)
{
    public double this[int axis] => axis == 0 ? Height : Width;

    public override string ToString() => $"{Height:R}×{Width:R}";
}
