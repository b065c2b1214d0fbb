using System.Collections.Immutable;
using ConvService.Domain.Geometry;

namespace ConvService.Api.Json;

/// <summary>
/// Convolution padding as the contract writes it: one integer for every axis; a list of d entries, each an integer or a
/// [begin, end] pair (<c>[[1, 2], [0, 1]]</c>; in 1-D <c>[[1, 2]]</c>); or "valid", "same", "same-upper", "same-lower".
/// The request's spatialDims resolves it into the Domain's <see cref="ConvPadding"/>.
/// </summary>
public readonly record struct PaddingValue
{
    private readonly ImmutableArray<(int Begin, int End, bool Pair)> _entries;

    private PaddingValue(ConvPaddingKind kind, int? all, ImmutableArray<(int, int, bool)> entries) => (Kind, All, _entries) = (kind, all, entries);

    public ConvPaddingKind Kind { get; }

    /// <summary>The one integer sent for every axis, or null.</summary>
    public int? All { get; }

    /// <summary>The list sent: per axis (begin, end) and whether it was a pair.</summary>
    public ImmutableArray<(int Begin, int End, bool Pair)> Entries => _entries.IsDefault ? [] : _entries;

    /// <summary>How many entries the list has, or null when no list was sent.</summary>
    public int? Count => Kind == ConvPaddingKind.Explicit && All is null ? Entries.Length : null;

    /// <summary>Some axis was given as a [begin, end] pair.</summary>
    public bool HasPairs => Entries.Any(e => e.Pair);

    public static PaddingValue Of(ConvPaddingKind kind) => new(kind, null, []);

    public static PaddingValue Of(int all) => new(ConvPaddingKind.Explicit, all, []);

    public static PaddingValue Of(params ReadOnlySpan<(int Begin, int End, bool Pair)> entries) => new(ConvPaddingKind.Explicit, null, [.. entries]);

    /// <summary>The Domain's padding for <paramref name="spatialDims"/> axes (a list of another length keeps its length for the rules to report).</summary>
    public ConvPadding Resolve(int spatialDims) => Kind switch
    {
        ConvPaddingKind.Same => ConvPadding.Same,
        ConvPaddingKind.SameUpper => ConvPadding.SameUpper,
        ConvPaddingKind.SameLower => ConvPadding.SameLower,
        ConvPaddingKind.Valid => ConvPadding.Valid,
        _ when All is { } all => ConvPadding.Explicit(Spatial.Repeat(all, spatialDims)),
        _ => ConvPadding.Explicit(new Spatial([.. Entries.Select(e => e.Begin)]), new Spatial([.. Entries.Select(e => e.End)])),
    };

    public bool Equals(PaddingValue other) => Kind == other.Kind && All == other.All && Entries.AsSpan().SequenceEqual(other.Entries.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Kind, All, Entries.Length);

    /// <summary>As sent: "1", "[[1, 2], 0]", "\"same-upper\"".</summary>
    public override string ToString() => Kind switch
    {
        ConvPaddingKind.Explicit when All is { } all => all.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ConvPaddingKind.Explicit => $"[{string.Join(", ", Entries.Select(e => e.Pair ? $"[{e.Begin}, {e.End}]" : $"{e.Begin}"))}]",
        _ => $"\"{ConvPaddingConverter.NameOf(Kind)}\"",
    };
}
