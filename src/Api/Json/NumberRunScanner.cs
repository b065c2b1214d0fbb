namespace ConvService.Api.Json;

/// <summary>
/// Reads the rest of a run of numbers straight from the body's bytes, where one <see cref="System.Text.Json.Utf8JsonReader"/>
/// token per number would cost several times more. Starting right after a number inside an array, it takes entries
/// <c>ws* "," ws* number</c> while each is strict RFC 8259 JSON followed by a delimiter it can see, and stops before
/// anything else: the closing bracket, a string, a malformed or non-finite number, the end of the bytes at hand, a full
/// destination. What it stops before is left to the reader, so values and errors are those of the token path.
/// </summary>
internal static class NumberRunScanner
{
    /// <summary>How far a scan got: it always ends right after a number (or where it started).</summary>
    /// <param name="Consumed">Bytes read.</param>
    /// <param name="Count">Numbers written.</param>
    /// <param name="Lines">Line feeds among the bytes read.</param>
    /// <param name="LineStart">Where the line after the last of them starts (when <paramref name="Lines"/> &gt; 0).</param>
    public readonly record struct Run(int Consumed, int Count, int Lines, int LineStart);

    /// <summary>Reads entries from <paramref name="text"/>, which follows a number, into <paramref name="destination"/>.</summary>
    public static Run Scan(ReadOnlySpan<byte> text, Span<double> destination)
    {
        var run = new Run(0, 0, 0, 0);
        var (i, lines, lineStart) = (0, 0, 0);
        for (var count = 0; count < destination.Length; count++)
        {
            // The separator: almost always a bare comma. Positions go in and out by value, so that i stays in a
            // register (by reference it lived in memory, a store and a load per digit).
            if ((uint)i < (uint)text.Length && text[i] == (byte)',')
                i++;
            else
            {
                var after = SkipWhitespace(text, i, ref lines, ref lineStart);
                if (after == i || (uint)after >= (uint)text.Length || text[after] != (byte)',')
                    return run;
                i = after + 1;
            }
            if ((uint)i < (uint)text.Length && text[i] <= (byte)' ')
                i = SkipWhitespace(text, i, ref lines, ref lineStart);
            i = ReadNumber(text, i, out destination[count]);
            if (i < 0)
                return run;
            run = new Run(i, count + 1, lines, lineStart);
        }
        return run;
    }

    /// <summary>One number at <paramref name="start"/>, if it is valid JSON, finite, and a delimiter follows it.</summary>
    /// <returns>Where the number ends, or −1 where there is none to take.</returns>
    private static int ReadNumber(ReadOnlySpan<byte> text, int start, out double value)
    {
        value = 0;
        var i = start;
        var negative = (uint)i < (uint)text.Length && text[i] == (byte)'-';
        if (negative)
            i++;
        if ((uint)i >= (uint)text.Length)
            return -1;
        ulong mantissa = 0;
        var digits = 0;
        if (text[i] == (byte)'0')
            (i, digits) = (i + 1, 1);
        else if ((uint)(text[i] - '1') <= 8)
        {
            for (; (uint)i < (uint)text.Length && (uint)(text[i] - '0') <= 9; i++, digits++)
                mantissa = mantissa * 10 + (uint)(text[i] - '0');
        }
        else
            return -1;
        var scale = 0;
        if ((uint)i < (uint)text.Length && text[i] == (byte)'.')
        {
            var fraction = ++i;
            for (; (uint)i < (uint)text.Length && (uint)(text[i] - '0') <= 9; i++)
                mantissa = mantissa * 10 + (uint)(text[i] - '0');
            if (i == fraction)
                return -1;
            (digits, scale) = (digits + i - fraction, fraction - i);
        }
        var exponent = (uint)i < (uint)text.Length && (text[i] | 0x20) == (byte)'e';
        if (exponent)
        {
            i++;
            if ((uint)i < (uint)text.Length && text[i] is (byte)'+' or (byte)'-')
                i++;
            var power = i;
            while ((uint)i < (uint)text.Length && (uint)(text[i] - '0') <= 9)
                i++;
            if (i == power)
                return -1;
        }
        // A digit here is a leading zero's successor ("01"); anything but a delimiter is the reader's to refuse.
        if ((uint)i >= (uint)text.Length || text[i] is not ((byte)',' or (byte)']' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            return -1;
        if (!exponent && FastNumber.TryCompose(negative, mantissa, digits, scale, out value))
            return i;
        // As the token path reads it: the same text through the same parser; an overflow is left for it to report.
        return FastNumber.TryParse(text[start..i], out value) && double.IsFinite(value) ? i : -1;
    }

    /// <summary>Steps over JSON whitespace from <paramref name="i"/>, counting line feeds as the reader does.</summary>
    /// <returns>Where the whitespace ends (<paramref name="i"/> itself when there was none).</returns>
    private static int SkipWhitespace(ReadOnlySpan<byte> text, int i, ref int lines, ref int lineStart)
    {
        for (; (uint)i < (uint)text.Length; i++)
        {
            var b = text[i];
            if (b == (byte)'\n')
                (lines, lineStart) = (lines + 1, i + 1);
            else if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
                break;
        }
        return i;
    }
}
