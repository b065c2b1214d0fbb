namespace ConvService.Domain.Geometry;

/// <summary>How much padding a convolution adds: explicit per axis, <c>"same"</c>, or <c>"valid"</c> (none).</summary>
public readonly record struct ConvPadding
{
    private ConvPadding(ConvPaddingKind kind, Spatial amounts) => (Kind, Amounts) = (kind, amounts);

    public ConvPaddingKind Kind { get; }

    /// <summary>Per-axis padding on both sides when <see cref="Kind"/> is <see cref="ConvPaddingKind.Explicit"/>.</summary>
    public Spatial Amounts { get; }

    public static ConvPadding Same => new(ConvPaddingKind.Same, default);

    public static ConvPadding Valid => new(ConvPaddingKind.Valid, default);

    public static ConvPadding Explicit(Spatial amounts) => new(ConvPaddingKind.Explicit, amounts);

    /// <summary>
    /// The (begin, end) padding of <paramref name="axis"/>. "same" pads <c>dilation·(K − 1)</c> in total,
    /// <c>floor(total / 2)</c> at the beginning and the rest at the end, as PyTorch does.
    /// </summary>
    public (int Begin, int End) Resolve(int axis, int kernel, int dilation) => Kind switch
    {
        ConvPaddingKind.Same => SplitSame(dilation * (kernel - 1)),
        ConvPaddingKind.Valid => (0, 0),
        _ => (Amounts[axis], Amounts[axis]),
    };

    public override string ToString() => Kind switch
    {
        ConvPaddingKind.Same => "\"same\"",
        ConvPaddingKind.Valid => "\"valid\"",
        _ => Amounts.ToString(),
    };

    private static (int, int) SplitSame(int total) => (total / 2, total - total / 2);
}

public enum ConvPaddingKind
{
    Explicit,
    Same,
    Valid,
}
