namespace ConvService.Domain.Geometry;

/// <summary>
/// How much padding a convolution adds per axis: explicit (begin, end) amounts, <c>"valid"</c> (none), PyTorch's
/// <c>"same"</c> (stride 1), or ONNX/TensorFlow's <c>"same-upper"</c> / <c>"same-lower"</c> (any stride).
/// </summary>
public readonly record struct ConvPadding
{
    private ConvPadding(ConvPaddingKind kind, Spatial begin, Spatial end) => (Kind, Begin, End) = (kind, begin, end);

    public ConvPaddingKind Kind { get; }

    /// <summary>Per-axis padding before the input when <see cref="Kind"/> is <see cref="ConvPaddingKind.Explicit"/>.</summary>
    public Spatial Begin { get; }

    /// <summary>Per-axis padding after the input when <see cref="Kind"/> is <see cref="ConvPaddingKind.Explicit"/>.</summary>
    public Spatial End { get; }

    /// <summary>Explicit padding with the same amounts at both ends: <see cref="Begin"/> = <see cref="End"/>.</summary>
    public bool IsSymmetric => Kind != ConvPaddingKind.Explicit || Begin == End;

    public static ConvPadding Same => new(ConvPaddingKind.Same, default, default);

    public static ConvPadding SameUpper => new(ConvPaddingKind.SameUpper, default, default);

    public static ConvPadding SameLower => new(ConvPaddingKind.SameLower, default, default);

    public static ConvPadding Valid => new(ConvPaddingKind.Valid, default, default);

    /// <summary>The same amount at both ends of each axis.</summary>
    public static ConvPadding Explicit(Spatial amounts) => new(ConvPaddingKind.Explicit, amounts, amounts);

    /// <summary>Per axis, <paramref name="begin"/> before the input and <paramref name="end"/> after it.</summary>
    public static ConvPadding Explicit(Spatial begin, Spatial end) => new(ConvPaddingKind.Explicit, begin, end);

    /// <summary>
    /// The (begin, end) padding of an axis of <paramref name="input"/> cells. "same" pads <c>total = dilation·(K − 1)</c>,
    /// <c>floor(total / 2)</c> at the beginning and the rest at the end, as PyTorch does. "same-upper"/"same-lower" aim
    /// at <c>O = ceil(I / stride)</c>: <c>total = max(0, (O − 1)·stride + dilation·(K − 1) + 1 − I)</c>, the larger half
    /// at the end (upper) or at the beginning (lower), as ONNX's SAME_UPPER/SAME_LOWER and TensorFlow's "SAME".
    /// </summary>
    public (long Begin, long End) Resolve(int axis, long input, long kernel, long stride, long dilation)
    {
        switch (Kind)
        {
            case ConvPaddingKind.Same:
                return Split(dilation * (kernel - 1), largerAtEnd: true);
            case ConvPaddingKind.SameUpper or ConvPaddingKind.SameLower:
                var output = (input + stride - 1) / stride;
                var total = Math.Max(0, (output - 1) * stride + dilation * (kernel - 1) + 1 - input);
                return Split(total, largerAtEnd: Kind == ConvPaddingKind.SameUpper);
            case ConvPaddingKind.Valid:
                return (0, 0);
            default:
                return (Begin[axis], End[axis]);
        }
    }

    /// <summary>"same", "valid", "same-upper", "same-lower", "1×2", or "[1, 2]×[0, 1]" for asymmetric amounts.</summary>
    public override string ToString() => Kind switch
    {
        ConvPaddingKind.Same => "\"same\"",
        ConvPaddingKind.SameUpper => "\"same-upper\"",
        ConvPaddingKind.SameLower => "\"same-lower\"",
        ConvPaddingKind.Valid => "\"valid\"",
        _ when IsSymmetric => Begin.ToString(),
        _ => Pairs(Begin, End),
    };

    private static string Pairs(Spatial begin, Spatial end) => string.Join('×', Enumerable.Range(0, begin.Rank).Select(a => $"[{begin[a]}, {end[a]}]"));

    private static (long, long) Split(long total, bool largerAtEnd) =>
        largerAtEnd ? (total / 2, total - total / 2) : (total - total / 2, total / 2);
}

public enum ConvPaddingKind
{
    Explicit,
    Same,
    SameUpper,
    SameLower,
    Valid,
}
