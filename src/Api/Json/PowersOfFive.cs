using System.Numerics;
using System.Runtime.CompilerServices;

namespace ConvService.Api.Json;

/// <summary>
/// The powers of five <see cref="ShortestDigits"/> scales by, at the precision one floating-point type needs: for
/// e2 ≥ 0, 2^k/5^q rounded up to <see cref="InverseBits"/> bits; for e2 &lt; 0, 5^i truncated to its leading
/// <see cref="PowerBits"/> bits. Each multiply gives ⌊m·factor / 2^shift⌋ for the value and both bounds of its interval.
/// </summary>
internal interface IPowersOfFive
{
    static abstract int InverseBits { get; }

    static abstract int PowerBits { get; }

    /// <summary>The largest q for which 5^q can divide 4·m2 + 2 (above it, no bound or value is a multiple).</summary>
    static abstract int MaxPowerDividing { get; }

    /// <summary>The most decimal digits vr can have.</summary>
    static abstract int MaxDigits { get; }

    static abstract void MulInverse(ulong mv, ulong mp, ulong mm, int q, int shift, out ulong vr, out ulong vp, out ulong vm);

    static abstract void MulPower(ulong mv, ulong mp, ulong mm, int i, int shift, out ulong vr, out ulong vp, out ulong vm);
}

/// <summary>A double's powers: 125 bits in two words, entry k at words 2k (low) and 2k + 1 (high).</summary>
internal readonly struct DoublePowers : IPowersOfFive
{
    /// <summary>5^-q scaled to 125 bits and rounded up (q up to 341 covers every double).</summary>
    internal static readonly ulong[] Inverse = Tables.BuildInverse(342, 125);

    /// <summary>5^i truncated to its leading 125 bits (i up to 325 covers every double).</summary>
    internal static readonly ulong[] Powers = Tables.BuildPowers(326, 125);

    public static int InverseBits => 125;

    public static int PowerBits => 125;

    /// <summary>5^22 exceeds 2^55 + 2.</summary>
    public static int MaxPowerDividing => 21;

    public static int MaxDigits => 19;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MulInverse(ulong mv, ulong mp, ulong mm, int q, int shift, out ulong vr, out ulong vp, out ulong vm)
    {
        var (low, high) = (Inverse[2 * q], Inverse[2 * q + 1]);
        vr = MulShift(mv, low, high, shift);
        vp = MulShift(mp, low, high, shift);
        vm = MulShift(mm, low, high, shift);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MulPower(ulong mv, ulong mp, ulong mm, int i, int shift, out ulong vr, out ulong vp, out ulong vm)
    {
        var (low, high) = (Powers[2 * i], Powers[2 * i + 1]);
        vr = MulShift(mv, low, high, shift);
        vp = MulShift(mp, low, high, shift);
        vm = MulShift(mm, low, high, shift);
    }

    /// <summary>
    /// ⌊m·factor / 2^shift⌋ for a 125-bit factor given as two words and 64 &lt; shift &lt; 128 (the tests check the
    /// range for every exponent), without forming the 192-bit product.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MulShift(ulong m, ulong factorLow, ulong factorHigh, int shift)
    {
        var high = Math.BigMul(m, factorHigh, out var middle);
        var carryIn = Math.BigMul(m, factorLow, out _);
        var sum = middle + carryIn;
        high += sum < middle ? 1UL : 0UL;
        return (sum >> (shift - 64)) | (high << (128 - shift));
    }
}

/// <summary>
/// A float's powers: one word each, the inverse to 63 bits (so 5^0's entry, 2^63 + 1, still fits) and the powers to 64.
/// </summary>
internal readonly struct FloatPowers : IPowersOfFive
{
    /// <summary>5^-q scaled to 63 bits and rounded up (q up to 30 covers every float).</summary>
    internal static readonly ulong[] Inverse = Tables.BuildInverse(31, 63);

    /// <summary>5^i truncated to its leading 64 bits (i up to 47 covers every float).</summary>
    internal static readonly ulong[] Powers = Tables.BuildPowers(48, 64);

    public static int InverseBits => 63;

    public static int PowerBits => 64;

    /// <summary>5^12 exceeds 2^26 + 2.</summary>
    public static int MaxPowerDividing => 11;

    /// <summary>vr stays below 4·2^24·100 (q is one short of the value's magnitude).</summary>
    public static int MaxDigits => 10;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MulInverse(ulong mv, ulong mp, ulong mm, int q, int shift, out ulong vr, out ulong vp, out ulong vm)
    {
        var factor = Inverse[q];
        vr = MulShift(mv, factor, shift);
        vp = MulShift(mp, factor, shift);
        vm = MulShift(mm, factor, shift);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MulPower(ulong mv, ulong mp, ulong mm, int i, int shift, out ulong vr, out ulong vp, out ulong vm)
    {
        var factor = Powers[i];
        vr = MulShift(mv, factor, shift);
        vp = MulShift(mp, factor, shift);
        vm = MulShift(mm, factor, shift);
    }

    /// <summary>
    /// ⌊m·factor / 2^shift⌋ for m below 2^27 and 32 ≤ shift &lt; 96 (the tests check the range for every exponent):
    /// m moved up 32 bits puts the result in the product's high word, one multiply and one shift.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MulShift(ulong m, ulong factor, int shift) => Math.BigMul(m << 32, factor, out _) >> (shift - 32);
}

/// <summary>Builds the tables once, from exact big-integer powers of five.</summary>
file static class Tables
{
    /// <summary>Entry q: ⌊2^(Pow5Bits(q) − 1 + bits) / 5^q⌋ + 1, in one word (bits ≤ 63) or two.</summary>
    public static ulong[] BuildInverse(int count, int bits)
    {
        var words = bits <= 64 ? 1 : 2;
        var table = new ulong[words * count];
        for (var q = 0; q < count; q++)
            Store(table, words, q, (BigInteger.One << (ShortestDigits.Pow5Bits(q) - 1 + bits)) / BigInteger.Pow(5, q) + 1);
        return table;
    }

    /// <summary>Entry i: 5^i's leading <paramref name="bits"/> bits (shifted up when 5^i is shorter).</summary>
    public static ulong[] BuildPowers(int count, int bits)
    {
        var words = bits <= 64 ? 1 : 2;
        var table = new ulong[words * count];
        for (var i = 0; i < count; i++)
        {
            var power = BigInteger.Pow(5, i);
            var excess = (int)power.GetBitLength() - bits;
            Store(table, words, i, excess >= 0 ? power >> excess : power << -excess);
        }
        return table;
    }

    private static void Store(ulong[] table, int words, int entry, BigInteger value)
    {
        table[words * entry] = (ulong)(value & ulong.MaxValue);
        if (words == 2)
            table[2 * entry + 1] = (ulong)(value >> 64);
    }
}
