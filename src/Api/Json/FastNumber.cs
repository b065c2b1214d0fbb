namespace ConvService.Api.Json;

/// <summary>
/// Parses a JSON number's UTF-8 text to the nearest double. Short decimals (at most 15 significant digits and a
/// power of ten within ±22: the usual "-0.1234") take Clinger's exact path — one correctly rounded multiply or divide
/// of two exactly representable values; anything else goes to <see cref="double.TryParse(ReadOnlySpan{byte}, out double)"/>.
/// </summary>
internal static class FastNumber
{
    public static bool TryParse(ReadOnlySpan<byte> text, out double value)
    {
        if (TryParseShort(text, out value))
            return true;
        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    private static bool TryParseShort(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        var i = 0;
        var negative = text.Length > 0 && text[0] == (byte)'-';
        if (negative)
            i++;
        ulong mantissa = 0;
        var digits = 0;
        var scale = 0;
        for (; i < text.Length && (uint)(text[i] - '0') <= 9; i++, digits++)
            mantissa = mantissa * 10 + (uint)(text[i] - '0');
        if (i < text.Length && text[i] == (byte)'.')
        {
            for (i++; i < text.Length && (uint)(text[i] - '0') <= 9; i++, digits++, scale--)
                mantissa = mantissa * 10 + (uint)(text[i] - '0');
        }
        return i == text.Length && digits > 0 && TryCompose(negative, mantissa, digits, scale, out value);
    }

    /// <summary>
    /// <c>±mantissa·10^scale</c> (<paramref name="scale"/> ≤ 0) by Clinger's exact path, when the decimal had at most 15
    /// digits (<paramref name="digits"/>, leading zeros included) and the power of ten is within 10^22.
    /// </summary>
    internal static bool TryCompose(bool negative, ulong mantissa, int digits, int scale, out double value)
    {
        value = 0;
        if (digits > 15 || scale < -ExactPowersOfTen.Largest)
            return false;
        // Below 10^15 the mantissa is exact as a double (and as a long, which converts in one instruction); zero
        // divides to +0, so its sign comes out right too.
        var magnitude = (long)mantissa / ExactPowersOfTen.Values[-scale];
        value = negative ? -magnitude : magnitude;
        return true;
    }
}
