using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ConvService.Api.Json;

/// <summary>
/// A finite float or double as UTF-8 text, byte for byte what <c>TryFormat(…, "R", CultureInfo.InvariantCulture)</c>
/// writes, several times faster: <see cref="ShortestDigits"/> gives the digits, and the layout follows .NET's general
/// format. Plain notation while the decimal point falls between 3 places left of the first digit and the round-trip
/// precision (17 digits for double, 9 for float) right of it ("0.0001", "12345678901234568"); otherwise one digit, the
/// rest after a point, and a signed exponent of at least two digits ("1E-05", "1.2345678901234568E+17"). Integers carry
/// no ".0"; negative zero is "-0".
/// </summary>
/// <remarks>
/// One deliberate difference: for 2^-25 and 2^-958 the framework writes 16 digits that read back as the neighbouring
/// double below (its shortest search takes the gap below a power of two as wide as the gap above); these write the 17
/// digits that read back as the value itself.
/// </remarks>
internal static class RoundTripText
{
    /// <summary>
    /// Room the writers need: "-2.2250738585072014E-308" is 24 bytes, and the digits' eight-byte stores reach no further
    /// than 23 bytes in ("-0.000" and 17 digits).
    /// </summary>
    public const int MaxLength = 32;

    /// <summary>Writes a finite double into <paramref name="destination"/>, which holds at least <see cref="MaxLength"/> bytes.</summary>
    /// <returns>The bytes of the text; bytes after them, within <see cref="MaxLength"/>, may have been overwritten too.</returns>
    public static int Write(double value, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, MaxLength);
        return Write(value, ref MemoryMarshal.GetReference(destination));
    }

    /// <summary>Writes a finite float in float precision into <paramref name="destination"/>, which holds at least <see cref="MaxLength"/> bytes.</summary>
    /// <returns>The bytes of the text; bytes after them, within <see cref="MaxLength"/>, may have been overwritten too.</returns>
    public static int Write(float value, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, MaxLength);
        return Write(value, ref MemoryMarshal.GetReference(destination));
    }

    /// <summary>As <see cref="Write(double, Span{byte})"/>, for a caller that has checked the room (a run of values).</summary>
    internal static int Write(double value, ref byte destination)
    {
        var negative = double.IsNegative(value);
        if (value == 0)
            return WriteZero(negative, ref destination);
        var digits = ShortestDigits.Of(Math.Abs(value), out var exponent);
        return Layout(digits, exponent, negative, plainLimit: 17, ref destination);
    }

    /// <summary>As <see cref="Write(float, Span{byte})"/>, for a caller that has checked the room (a run of values).</summary>
    internal static int Write(float value, ref byte destination)
    {
        var negative = float.IsNegative(value);
        if (value == 0)
            return WriteZero(negative, ref destination);
        var digits = ShortestDigits.Of(Math.Abs(value), out var exponent);
        return Layout(digits, exponent, negative, plainLimit: 9, ref destination);
    }

    private static int WriteZero(bool negative, ref byte destination)
    {
        if (!negative)
        {
            destination = (byte)'0';
            return 1;
        }
        destination = (byte)'-';
        Unsafe.Add(ref destination, 1) = (byte)'0';
        return 2;
    }

    /// <summary>
    /// Lays out <c>digits·10^exponent</c>. <paramref name="plainLimit"/> is the largest point position (digits before
    /// the point) still written without an exponent.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Layout(ulong digits, int exponent, bool negative, int plainLimit, ref byte destination)
    {
        // The sign goes down unconditionally and is overwritten when positive: signs are random in a tensor, so a
        // branch on them would be mispredicted half the time.
        destination = (byte)'-';
        var at = negative ? 1 : 0;
        ref var start = ref Unsafe.Add(ref destination, at);
        var count = DecimalLength(digits);
        var point = exponent + count;
        if ((uint)(point + 3) > (uint)(plainLimit + 3))
        {
            // Scientific: the digits go one place right, then the first moves back in front of the point.
            WriteDigits(digits, count, ref Unsafe.Add(ref start, 1));
            start = Unsafe.Add(ref start, 1);
            var length = 1;
            if (count > 1)
            {
                Unsafe.Add(ref start, 1) = (byte)'.';
                length = count + 1;
            }
            return at + length + WriteExponent(point - 1, ref Unsafe.Add(ref start, length));
        }
        if (point <= 0)
        {
            // "0." and up to three zeros: write four zeros, then let the digits land over the extra ones.
            Unsafe.WriteUnaligned(ref start, 0x3030_2E30u); // "0.00"
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref start, 4), (ushort)0x3030); // "00"
            var lead = 2 - point;
            WriteDigits(digits, count, ref Unsafe.Add(ref start, lead));
            return at + lead + count;
        }
        if (point >= count)
        {
            WriteDigits(digits, count, ref start);
            for (var i = count; i < point; i++)
                Unsafe.Add(ref start, i) = (byte)'0';
            return at + point;
        }
        // The point falls inside the digits: write them one place right, then move the integer part back over the gap.
        WriteDigits(digits, count, ref Unsafe.Add(ref start, 1));
        for (var i = 0; i < point; i++)
            Unsafe.Add(ref start, i) = Unsafe.Add(ref start, i + 1);
        Unsafe.Add(ref start, point) = (byte)'.';
        return at + count + 1;
    }

    private static int WriteExponent(int exponent, ref byte destination)
    {
        destination = (byte)'E';
        Unsafe.Add(ref destination, 1) = exponent < 0 ? (byte)'-' : (byte)'+';
        var magnitude = (uint)Math.Abs(exponent);
        if (magnitude >= 100)
        {
            Unsafe.Add(ref destination, 2) = (byte)('0' + magnitude / 100);
            WritePair(magnitude % 100, ref Unsafe.Add(ref destination, 3));
            return 5;
        }
        WritePair(magnitude, ref Unsafe.Add(ref destination, 2));
        return 4;
    }

    /// <summary>
    /// Writes the <paramref name="count"/> decimal digits of <paramref name="value"/> from <paramref name="start"/> on,
    /// eight at a time and without a branch per digit. Up to seven bytes after the last digit are overwritten too: the
    /// layouts write what follows afterwards, and <see cref="MaxLength"/> leaves the room.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteDigits(ulong value, int count, ref byte start)
    {
        if (count > 16)
        {
            // 17 digits: the first alone, then sixteen.
            var first = value / 10_000_000_000_000_000;
            start = (byte)('0' + first);
            value -= first * 10_000_000_000_000_000;
            start = ref Unsafe.Add(ref start, 1);
            count = 16;
        }
        if (count > 8)
        {
            // The leading count − 8 digits, then the last eight over the zeros the first store left after them.
            var high = value / 100_000_000;
            Unsafe.WriteUnaligned(ref start, EightDigits((uint)high) >> (8 * (16 - count)));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref start, count - 8), EightDigits((uint)(value - high * 100_000_000)));
            return;
        }
        Unsafe.WriteUnaligned(ref start, EightDigits((uint)value) >> (8 * (8 - count)));
    }

    /// <summary>
    /// The eight decimal digits of <paramref name="value"/> (below 10^8, with leading zeros) as ASCII, the first in the
    /// lowest byte. Two lanes of four digits are split into four of two, then eight of one, each split one multiply
    /// (by 5243/2^19 for ⌊n/100⌋ below 10^4, by 103/2^10 for ⌊n/10⌋ below 100) for every lane at once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong EightDigits(uint value)
    {
        var high = value / 10_000;
        var fours = high | ((ulong)(value - high * 10_000) << 32);
        var hundreds = ((fours * 5243) >> 19) & 0x0000_007F_0000_007F;
        var twos = hundreds | ((fours - hundreds * 100) << 16);
        var tens = ((twos * 103) >> 10) & 0x000F_000F_000F_000F;
        var ones = tens | ((twos - tens * 10) << 8);
        return ones + 0x3030_3030_3030_3030;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WritePair(uint pair, ref byte destination) =>
        Unsafe.WriteUnaligned(ref destination, Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref MemoryMarshal.GetReference(DigitPairs), pair * 2)));

    /// <summary>"00", "01", … "99": two digits per load.</summary>
    private static ReadOnlySpan<byte> DigitPairs =>
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    /// <summary>How many decimal digits <paramref name="value"/> has (1 for values below 10).</summary>
    private static int DecimalLength(ulong value)
    {
        // (bit length)·log10 2, rounded down, undercounts by at most one; one comparison settles it.
        var estimate = ((BitOperations.Log2(value) + 1) * 1233) >> 12;
        return (int)estimate + (value >= ShortestDigits.PowersOfTen[(int)estimate] ? 1 : 0);
    }
}
