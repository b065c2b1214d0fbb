using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace ConvService.Api.Json;

/// <summary>
/// Writes a run of array entries as raw UTF-8 straight into the output, bypassing <see cref="Utf8JsonWriter"/>'s
/// per-value bookkeeping: shortest round-trip text in the values' own precision (<see cref="RoundTripText"/>),
/// non-finite values as strings. The caller has opened the array with the writer and closes it with the writer afterwards.
/// </summary>
internal static class NumberRun
{
    /// <summary>Room for one entry: a comma and the room <see cref="RoundTripText"/> asks for.</summary>
    public const int MaxEntry = 1 + RoundTripText.MaxLength;

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
            // Every entry starts with at least MaxEntry bytes left, so the entries themselves need no checks.
            var last = destination.Length - MaxEntry;
            ref var start = ref MemoryMarshal.GetReference(destination);
            ref var value = ref MemoryMarshal.GetReference(values);
            var written = 0;
            var count = 0;
            if (!continues)
            {
                written = Format(value, ref start);
                count = 1;
            }
            for (; count < values.Length && written <= last; count++)
            {
                Unsafe.Add(ref start, written) = (byte)',';
                written += 1 + Format(Unsafe.Add(ref value, count), ref Unsafe.Add(ref start, written + 1));
            }
            continues = true;
            output.Advance(written);
            total += written;
            values = values[count..];
        }
        return total;
    }

    /// <summary>One value as JSON: its shortest round-trip text, or "NaN", "Infinity", "-Infinity" as a string.</summary>
    /// <returns>The bytes of the text; <paramref name="destination"/> holds at least <see cref="RoundTripText.MaxLength"/>, and bytes after the text may be overwritten within them.</returns>
    public static int Format<T>(T value, Span<byte> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, RoundTripText.MaxLength);
        return Format(value, ref MemoryMarshal.GetReference(destination));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Format<T>(T value, ref byte destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!T.IsFinite(value))
            return WriteNonFinite(T.IsNaN(value) ? "\"NaN\""u8 : T.IsPositive(value) ? "\"Infinity\""u8 : "\"-Infinity\""u8, ref destination);
        if (typeof(T) == typeof(double))
            return RoundTripText.Write(Unsafe.BitCast<T, double>(value), ref destination);
        if (typeof(T) == typeof(float))
            return RoundTripText.Write(Unsafe.BitCast<T, float>(value), ref destination);
        throw new NotSupportedException($"tensors hold float or double, not {typeof(T).Name}");
    }

    private static int WriteNonFinite(ReadOnlySpan<byte> text, ref byte destination)
    {
        text.CopyTo(MemoryMarshal.CreateSpan(ref destination, text.Length));
        return text.Length;
    }
}
