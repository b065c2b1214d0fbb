using System.Globalization;
using System.Numerics;

namespace ConvService.Api.Learn;

/// <summary>
/// How learn mode writes numbers and sums: shortest round-trip digits in the call's precision, negative factors in
/// parentheses ("(-1.5)·2"), and above <see cref="ShownTerms"/> terms the middle elided ("… 4,087 more …").
/// </summary>
public static class LearnText
{
    /// <summary>A sum longer than this shows its first and last half of it and counts the rest.</summary>
    public const int ShownTerms = 64;

    /// <summary>
    /// The value as the response writes it: a double, or for float the double whose shortest digits are the float's,
    /// so that 0.1f is written 0.1 rather than 0.10000000149011612.
    /// </summary>
    public static double Widen<T>(T value) where T : unmanaged, IFloatingPointIeee754<T> =>
        value is float single && float.IsFinite(single) ? double.Parse(single.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : double.CreateTruncating(value);

    /// <summary>Shortest round-trip digits: "109", "0.1", "1e-7", "NaN", "∞", "-∞".</summary>
    public static string Number(double value)
    {
        if (double.IsNaN(value))
            return "NaN";
        if (double.IsInfinity(value))
            return value > 0 ? "∞" : "-∞";
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E', StringComparison.Ordinal);
        if (e < 0)
            return text;
        var exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return $"{text[..e]}e{exponent}";
    }

    /// <summary>A factor of a product: a negative number (and −0) in parentheses, "(-1.5)".</summary>
    public static string Factor(double value) => value < 0 || double.IsNegative(value) && value == 0 ? $"({Number(value)})" : Number(value);

    /// <summary>A count with thousands separators: "4,087".</summary>
    public static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>
    /// "t₁ + t₂ + … = result" from the terms' texts (<paramref name="term"/> is asked only for the terms shown); above
    /// <see cref="ShownTerms"/> the first and last 32 with "… n more …" between; an empty sum is "0".
    /// </summary>
    public static string Sum(int count, Func<int, string> term, string result) =>
        count == 0 ? $"0 = {result}" : $"{Join(count, term, " + ")} = {result}";

    /// <summary>The terms' texts joined by <paramref name="separator"/>, the middle elided above <see cref="ShownTerms"/>.</summary>
    public static string Join(int count, Func<int, string> term, string separator)
    {
        var half = ShownTerms / 2;
        var shown = count <= ShownTerms
            ? Enumerable.Range(0, count).Select(term)
            : [.. Enumerable.Range(0, half).Select(term), $"… {Count(count - ShownTerms)} more …", .. Enumerable.Range(count - half, half).Select(term)];
        return string.Join(separator, shown);
    }

    /// <summary>"[0, 2]": an index as the notes write it.</summary>
    public static string Index(IEnumerable<int> index) => $"[{string.Join(", ", index)}]";
}
