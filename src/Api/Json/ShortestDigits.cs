using System.Runtime.CompilerServices;

namespace ConvService.Api.Json;

/// <summary>
/// The shortest decimal that reads back as the same binary value, by the Ryu algorithm (Ulf Adams, "Ryū: fast
/// float-to-string conversion", PLDI 2018): a positive finite value <c>m2·2^e2</c> becomes <c>digits·10^exponent</c>
/// with as few digits as any decimal inside the value's rounding interval can have, and among those the one nearest
/// the value (ties to an even last digit). Only fixed-width integer arithmetic: multiply by a 125-bit approximation of
/// 5^±q, shift, then drop digits while the interval still holds a shorter candidate.
/// </summary>
/// <remarks>
/// One core serves float and double; only the powers of five differ (<see cref="IPowersOfFive"/>). A double multiplies
/// by 125-bit powers in two words; a float's 26-bit scaled significand needs only one 64-bit word per power, so its
/// three products are one multiply each and its digits fit the short end of the drop chain (a float's path is checked
/// against the framework's formatter on every bit pattern once, and on samples by the tests).
/// </remarks>
internal static class ShortestDigits
{
    /// <summary>Shortest digits of a positive finite double.</summary>
    public static ulong Of(double value, out int exponent)
    {
        // An integer below 2^53 is exact, and every double near it is at most 1 away, while any number with fewer
        // significant digits is at least 1 away: its own digits, trailing zeros dropped, are the shortest (the seed's
        // answers, counts, one-hot gradients).
        if (value < 9007199254740992.0 && value == Math.Floor(value))
            return Integer((ulong)value, out exponent);
        var bits = BitConverter.DoubleToUInt64Bits(value);
        var mantissa = bits & ((1UL << 52) - 1);
        var biased = (int)(bits >> 52) & 0x7FF;
        if (FewDigits(value, biased - 1023, out var digits, out exponent))
            return digits;
        return biased == 0
            ? Core<DoublePowers>(mantissa, 1 - 1023 - 52 - 2, mantissa != 0 || biased <= 1, out exponent)
            : Core<DoublePowers>(mantissa | (1UL << 52), biased - 1023 - 52 - 2, mantissa != 0 || biased <= 1, out exponent);
    }

    /// <summary>
    /// Finds a decimal of at most 15 significant digits that reads back as <paramref name="value"/>, if there is one:
    /// its digits, trailing zeros dropped, are the shortest, because no two such decimals read back as the same double
    /// (15 is the precision every double keeps). Numbers people type are such decimals, and so are the answers that
    /// repeat them (a max-pool's, a gradient routed back unchanged); one multiply and one division find and prove them,
    /// where the search would compute 17 digits and drop most of them.
    /// </summary>
    /// <param name="value">A positive finite double, not an integer below 2^53.</param>
    /// <param name="log2">⌊log2 value⌋ (the unbiased exponent; subnormals are outside the range tried).</param>
    /// <param name="digits">The decimal's digits, without trailing zeros.</param>
    /// <param name="exponent">The power of ten they are scaled by.</param>
    private static bool FewDigits(double value, int log2, out ulong digits, out int exponent)
    {
        digits = 0;
        exponent = 0;
        // 2^-24 ≤ value < 2^44 keeps the scale below an exact 10^22 and above 10^0.
        if ((uint)(log2 + 24) >= 68)
            return false;
        // d = ⌊log2·log10 2⌋ (from −8 to 12 here): 10^d ≤ 2^log2 ≤ value < 2^(log2+1) < 2·10^(d+1), so value·10^(13−d)
        // lies in [10^13, 2·10^14), 15 digits at most (checked below anyway, as the proof needs it).
        var d = (log2 * 1233) >> 12;
        var scale = ExactPowersOfTen.Values[13 - d];
        // When value is the double nearest integer·10^(d−13), the product is within product·2^-52 of that integer
        // (half the value's ulp, scaled, plus the multiply's own rounding; the test allows twice that, 4.5e-16). A
        // computed value's product rarely is, and stops here, before the division (it costs such values 2–3%). The
        // division, exact numbers correctly rounded, reads the integer·10^(d−13) back as a parser would: equality
        // proves it.
        var product = value * scale;
        var candidate = Math.Round(product);
        if (Math.Abs(product - candidate) > product * 4.5e-16 || candidate >= 1e15 || candidate / scale != value)
            return false;
        digits = (ulong)candidate;
        exponent = d - 13;
        // Up to 14 trailing zeros (the candidate is below 2·10^14), removed 8, 4, 2, 1 at a time.
        DropZeros(ref digits, ref exponent, 100_000_000, 8);
        DropZeros(ref digits, ref exponent, 10_000, 4);
        DropZeros(ref digits, ref exponent, 100, 2);
        DropZeros(ref digits, ref exponent, 10, 1);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DropZeros(ref ulong digits, ref int exponent, ulong unit, int count)
    {
        var kept = digits / unit;
        if (kept * unit != digits)
            return;
        digits = kept;
        exponent += count;
    }

    /// <summary>Shortest digits of a positive finite float, in float precision (0.1f gives 1, −1; not its double's 17 digits).</summary>
    public static ulong Of(float value, out int exponent)
    {
        // As for doubles, below 2^24.
        if (value < 16777216f && value == MathF.Floor(value))
            return Integer((ulong)value, out exponent);
        var bits = BitConverter.SingleToUInt32Bits(value);
        var mantissa = bits & ((1U << 23) - 1);
        var biased = (int)(bits >> 23) & 0xFF;
        return biased == 0
            ? Core<FloatPowers>(mantissa, 1 - 127 - 23 - 2, mantissa != 0 || biased <= 1, out exponent)
            : Core<FloatPowers>(mantissa | (1U << 23), biased - 127 - 23 - 2, mantissa != 0 || biased <= 1, out exponent);
    }

    /// <summary>
    /// The value is <c>m2·2^(e2+2)</c>; its rounding interval runs from <c>(4·m2 − 2)·2^e2</c> to <c>(4·m2 + 2)·2^e2</c>,
    /// except at a power of two whose lower neighbour is closer (<paramref name="wideLowerGap"/> false), where it starts
    /// at <c>(4·m2 − 1)·2^e2</c>. Bounds are inside the interval when m2 is even: the reader rounds half to even, so a
    /// decimal exactly on a bound reads back as this value.
    /// </summary>
    private static ulong Core<TPowers>(ulong m2, int e2, bool wideLowerGap, out int exponent)
        where TPowers : struct, IPowersOfFive
    {
        var acceptBounds = (m2 & 1) == 0;
        var mv = 4 * m2;
        var lowerGap = wideLowerGap ? 1UL : 0UL;
        ulong vr, vp, vm;
        int e10;
        var vmIsTrailingZeros = false;
        var vrIsTrailingZeros = false;
        if (e2 >= 0)
        {
            // q one below ⌊log10 2^e2⌋ (for e2 > 3) so at least one digit is left to drop and round on.
            var q = Log10Pow2(e2) - (e2 > 3 ? 1 : 0);
            e10 = q;
            var shift = -e2 + q + TPowers.InverseBits + Pow5Bits(q) - 1;
            TPowers.MulInverse(mv, mv + 2, mv - 1 - lowerGap, q, shift, out vr, out vp, out vm);
            // Beyond q = MaxPowerDividing, 5^q exceeds every 4·m2 + 2, so none of them divides exactly.
            if (q <= TPowers.MaxPowerDividing)
            {
                if (mv % 5 == 0)
                    vrIsTrailingZeros = IsMultipleOfPowerOfFive(mv, q);
                else if (acceptBounds)
                    vmIsTrailingZeros = IsMultipleOfPowerOfFive(mv - 1 - lowerGap, q);
                else if (IsMultipleOfPowerOfFive(mv + 2, q))
                    vp--;
            }
        }
        else
        {
            var q = Log10Pow5(-e2) - (-e2 > 1 ? 1 : 0);
            e10 = q + e2;
            var i = -e2 - q;
            var shift = q - (Pow5Bits(i) - TPowers.PowerBits);
            TPowers.MulPower(mv, mv + 2, mv - 1 - lowerGap, i, shift, out vr, out vp, out vm);
            if (q <= 1)
            {
                // mv·5^i / 2^q with q ≤ 1 and mv = 4·m2 is exact: every candidate is exactly representable.
                vrIsTrailingZeros = true;
                if (acceptBounds)
                    vmIsTrailingZeros = lowerGap == 1;
                else
                    vp--;
            }
            else if (q < 63)
            {
                vrIsTrailingZeros = (mv & ((1UL << q) - 1)) == 0;
            }
        }

        if (vmIsTrailingZeros || vrIsTrailingZeros)
            return Exact(vr, vp, vm, acceptBounds, vmIsTrailingZeros, vrIsTrailingZeros, e10, out exponent);

        // Common: no exact ties, so rounding needs only the leading removed digit. How many digits can go is found by
        // binary search (16, 8, 4, 2, 1 at a time): "vp and vm differ above digit k" only weakens as k grows. A float's
        // vr has at most 10 digits, so it skips the 16. Constant divisors, so each division is a multiply.
        var removed = 0;
        var roundUp = false;
        if (TPowers.MaxDigits > 16)
            Drop(ref vr, ref vp, ref vm, 10_000_000_000_000_000, 16, ref removed, ref roundUp);
        Drop(ref vr, ref vp, ref vm, 100_000_000, 8, ref removed, ref roundUp);
        Drop(ref vr, ref vp, ref vm, 10_000, 4, ref removed, ref roundUp);
        Drop(ref vr, ref vp, ref vm, 100, 2, ref removed, ref roundUp);
        Drop(ref vr, ref vp, ref vm, 10, 1, ref removed, ref roundUp);
        exponent = e10 + removed;
        return vr + (vr == vm || roundUp ? 1UL : 0UL);
    }

    /// <summary>
    /// The rare case, apart so the common path stays small: a bound or the value itself is a short decimal, so exact
    /// ties (to even) and bounds that are inside the interval decide the last digit; digits go one at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong Exact(ulong vr, ulong vp, ulong vm, bool acceptBounds, bool vmIsTrailingZeros, bool vrIsTrailingZeros, int e10, out int exponent)
    {
        var removed = 0;
        var lastRemovedDigit = 0UL;
        while (vp / 10 > vm / 10)
        {
            vmIsTrailingZeros &= vm % 10 == 0;
            vrIsTrailingZeros &= lastRemovedDigit == 0;
            lastRemovedDigit = vr % 10;
            vr /= 10;
            vp /= 10;
            vm /= 10;
            removed++;
        }
        if (vmIsTrailingZeros)
        {
            while (vm % 10 == 0)
            {
                vrIsTrailingZeros &= lastRemovedDigit == 0;
                lastRemovedDigit = vr % 10;
                vr /= 10;
                vm /= 10;
                removed++;
            }
        }
        if (vrIsTrailingZeros && lastRemovedDigit == 5 && vr % 2 == 0)
            lastRemovedDigit = 4; // exactly halfway: round to even
        var roundUp = (vr == vm && (!acceptBounds || !vmIsTrailingZeros)) || lastRemovedDigit >= 5;
        exponent = e10 + removed;
        return vr + (roundUp ? 1UL : 0UL);
    }

    /// <summary>Drops <paramref name="count"/> digits (<paramref name="unit"/> = 10^count) if the interval still holds a candidate without them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Drop(ref ulong vr, ref ulong vp, ref ulong vm, ulong unit, int count, ref int removed, ref bool roundUp)
    {
        var vpKept = vp / unit;
        var vmKept = vm / unit;
        if (vpKept <= vmKept)
            return;
        var vrKept = vr / unit;
        roundUp = vr - vrKept * unit >= unit / 2;
        vr = vrKept;
        vp = vpKept;
        vm = vmKept;
        removed += count;
    }

    /// <summary>A positive integer's digits without its trailing zeros, which become the exponent.</summary>
    private static ulong Integer(ulong value, out int exponent)
    {
        exponent = 0;
        while (value % 10 == 0)
        {
            value /= 10;
            exponent++;
        }
        return value;
    }

    /// <summary>10^k for k = 0 … 19.</summary>
    internal static ReadOnlySpan<ulong> PowersOfTen =>
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
        100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
        10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
    ];

    /// <summary>⌈log2 5^e⌉ (1 for e = 0), exact for 0 ≤ e ≤ 3528.</summary>
    internal static int Pow5Bits(int e) => (int)(((uint)e * 1217359) >> 19) + 1;

    /// <summary>⌊log10 2^e⌋, exact for 0 ≤ e ≤ 1650.</summary>
    internal static int Log10Pow2(int e) => (int)(((uint)e * 78913) >> 18);

    /// <summary>⌊log10 5^e⌋, exact for 0 ≤ e ≤ 2620.</summary>
    internal static int Log10Pow5(int e) => (int)(((uint)e * 732923) >> 20);

    private static bool IsMultipleOfPowerOfFive(ulong value, int p)
    {
        var count = 0;
        while (value % 5 == 0 && count < p)
        {
            value /= 5;
            count++;
        }
        return count >= p;
    }
}
