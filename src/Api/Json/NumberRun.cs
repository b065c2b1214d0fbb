using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace ConvService.Api.Json;

/// <summary>
/// Writes a run of array entries as raw UTF-8 straight into the output, bypassing <see cref="Utf8JsonWriter"/>'s
/// per-value bookkeeping: shortest round-trip text in the values' own precision, non-finite values as strings.
/// The caller has opened the array with the writer and closes it with the writer afterwards.
/// </summary>
internal static class NumberRun
{
    /// <summary>Room for one entry: a comma and the longest shortest-round-trip double ("-2.2250738585072014E-308").</summary>
    private const int MaxEntry = 32;

    /// <summary>Writes <paramref name="values"/> after what <paramref name="writer"/> holds; with <paramref name="continues"/> a comma goes first.</summary>
    /// <returns>The bytes written into <paramref name="output"/>, which the writer does not count.</returns>
    public static long Write<T>(Utf8JsonWriter writer, IBufferWriter<byte> output, ReadOnlySpan<T> values, bool continues)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        writer.Flush();
        long total = 0;
        while (!values.IsEmpty)
        {
            // Ask for no more than one of the server's 4 KiB blocks: a larger hint makes the response pipe allocate.
            var destination = output.GetSpan(Math.Min(values.Length, 4096 / MaxEntry) * MaxEntry);
            var written = 0;
            var count = 0;
            for (; count < values.Length && destination.Length - written >= MaxEntry; count++)
            {
                if (continues)
                    destination[written++] = (byte)',';
                continues = true;
                written += Format(values[count], destination[written..]);
            }
            output.Advance(written);
            total += written;
            values = values[count..];
        }
        return total;
    }

    private static int Format<T>(T value, Span<byte> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!T.IsFinite(value))
        {
            var text = T.IsNaN(value) ? "\"NaN\""u8 : T.IsPositive(value) ? "\"Infinity\""u8 : "\"-Infinity\""u8;
            text.CopyTo(destination);
            return text.Length;
        }
        value.TryFormat(destination, out var written, "R", CultureInfo.InvariantCulture);
        return written;
    }
}
