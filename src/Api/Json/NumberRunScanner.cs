using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ConvService.Api.Json;

/// <summary>
/// Reads the rest of a run of numbers straight from the body's bytes, where one <see cref="System.Text.Json.Utf8JsonReader"/>
/// token per number would cost several times more. Starting right after a number inside an array, it takes entries
/// <c>ws* "," ws* number</c> while each is strict RFC 8259 JSON followed by a delimiter it can see, and stops before
/// anything else: the closing bracket, a string, a malformed or non-finite number, the end of the bytes at hand, a full
/// destination. What it stops before is left to the reader, so values and errors are those of the token path.
/// </summary>
/// <remarks>
/// The bytes are read without a bounds check per byte. The scan first finds the last byte that is not a digit (the
/// <c>limit</c>, among the last <see cref="LimitWindow"/> bytes); every byte it reads is at or before it. A run of
/// digits that starts there stops at a non-digit by the limit at the latest, so only the single-byte steps (a sign, a
/// point, an exponent's letter, a separator) compare their position with it.
/// </remarks>
internal static class NumberRunScanner
{
    /// <summary>How far a scan got: it always ends right after a number (or where it started).</summary>
    /// <param name="Consumed">Bytes read.</param>
    /// <param name="Count">Numbers written.</param>
    /// <param name="Lines">Line feeds among the bytes read.</param>
    /// <param name="LineStart">Where the line after the last of them starts (when <paramref name="Lines"/> &gt; 0).</param>
    public readonly record struct Run(int Consumed, int Count, int Lines, int LineStart);

    /// <summary>How far from the end of its bytes a scan looks for its limit.</summary>
    private const int LimitWindow = 64;

    /// <summary>Reads entries from <paramref name="text"/>, which follows a number, into <paramref name="destination"/>.</summary>
    // Called once per run, never inlined: in a method of its own the loop keeps its positions in registers.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Run Scan(ReadOnlySpan<byte> text, Span<double> destination)
    {
        // The limit is searched for among the last bytes only: bytes that end in a longer run of digits (a number of
        // hundreds of digits across the block's end) are left to the reader, rather than searched back at every run.
        var tail = Math.Max(0, text.Length - LimitWindow);
        var last = text[tail..].LastIndexOfAnyExceptInRange((byte)'0', (byte)'9');
        nint limit = last < 0 ? -1 : tail + last;
        ref var bytes = ref MemoryMarshal.GetReference(text);
        ref var values = ref MemoryMarshal.GetReference(destination);
        // i is where the last number taken ends, on its delimiter (so at most the limit).
        nint i = 0, count = 0, room = destination.Length;
        int lines = 0, lineStart = 0;
        while (count < room && i < limit)
        {
            // The usual entry: a comma, then the number.
            if (Unsafe.Add(ref bytes, i) == (byte)',' && Unsafe.Add(ref bytes, i + 1) > (byte)' ')
            {
                var (end, value) = ReadNumber(ref bytes, i + 1, limit);
                if (end < 0)
                    break;
                (Unsafe.Add(ref values, count), i, count) = (value, end, count + 1);
                continue;
            }
            // Whitespace around the comma: its line feeds count only once the number after them is taken.
            var (newLines, newLineStart) = (lines, lineStart);
            var at = SkipWhitespace(ref bytes, i, limit, ref newLines, ref newLineStart);
            if (at > limit || Unsafe.Add(ref bytes, at) != (byte)',')
                break;
            at = SkipWhitespace(ref bytes, at + 1, limit, ref newLines, ref newLineStart);
            if (at > limit)
                break;
            var (next, number) = ReadNumber(ref bytes, at, limit);
            if (next < 0)
                break;
            (Unsafe.Add(ref values, count), i, count) = (number, next, count + 1);
            (lines, lineStart) = (newLines, newLineStart);
        }
        return new Run((int)i, (int)count, lines, lineStart);
    }

    /// <summary>One number at <paramref name="start"/> (at most the limit), if it is valid JSON, finite, and a delimiter follows it.</summary>
    /// <returns>Where the number ends and its value, or an end of −1 where there is none to take.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (nint End, double Value) ReadNumber(ref byte bytes, nint start, nint limit)
    {
        var i = start;
        var negative = Unsafe.Add(ref bytes, i) == (byte)'-';
        if (negative && ++i > limit)
            return (-1, 0);
        ulong mantissa = 0;
        uint digit;
        if (Unsafe.Add(ref bytes, i) == (byte)'0')
            i++;
        else if ((uint)(Unsafe.Add(ref bytes, i) - '1') <= 8)
        {
            while ((digit = (uint)(Unsafe.Add(ref bytes, i) - '0')) <= 9)
                (mantissa, i) = (mantissa * 10 + digit, i + 1);
        }
        else
            return (-1, 0);
        var (digits, scale) = ((int)(i - start) - (negative ? 1 : 0), 0);
        if (Unsafe.Add(ref bytes, i) == (byte)'.')
        {
            var fraction = ++i;
            if (fraction > limit)
                return (-1, 0);
            while ((digit = (uint)(Unsafe.Add(ref bytes, i) - '0')) <= 9)
                (mantissa, i) = (mantissa * 10 + digit, i + 1);
            if (i == fraction)
                return (-1, 0);
            (digits, scale) = (digits + (int)(i - fraction), (int)(fraction - i));
        }
        var exponent = (Unsafe.Add(ref bytes, i) | 0x20) == (byte)'e';
        if (exponent)
        {
            if (++i > limit)
                return (-1, 0);
            if (Unsafe.Add(ref bytes, i) is (byte)'+' or (byte)'-' && ++i > limit)
                return (-1, 0);
            var power = i;
            while ((uint)(Unsafe.Add(ref bytes, i) - '0') <= 9)
                i++;
            if (i == power)
                return (-1, 0);
        }
        // A digit here is a leading zero's successor ("01"); anything but a delimiter is the reader's to refuse.
        if (Unsafe.Add(ref bytes, i) is not ((byte)',' or (byte)']' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            return (-1, 0);
        if (!exponent && FastNumber.TryCompose(negative, mantissa, digits, scale, out var value))
            return (i, value);
        return ParseSlowly(ref bytes, start, i);
    }

    /// <summary>
    /// A number the exact short path cannot take, as the token path reads it: the same text through the same parser; an
    /// overflow is left for it to report.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (nint End, double Value) ParseSlowly(ref byte bytes, nint start, nint end)
    {
        var text = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref bytes, start), (int)(end - start));
        return FastNumber.TryParse(text, out var value) && double.IsFinite(value) ? (end, value) : (-1, 0);
    }

    /// <summary>Steps over JSON whitespace from <paramref name="i"/> to at most <paramref name="limit"/>, counting line feeds as the reader does.</summary>
    /// <returns>Where the whitespace ends (<paramref name="i"/> itself when there was none; past the limit when it reached it).</returns>
    private static nint SkipWhitespace(ref byte bytes, nint i, nint limit, ref int lines, ref int lineStart)
    {
        for (; i <= limit; i++)
        {
            var b = Unsafe.Add(ref bytes, i);
            if (b == (byte)'\n')
                (lines, lineStart) = (lines + 1, (int)i + 1);
            else if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
                break;
        }
        return i;
    }
}
