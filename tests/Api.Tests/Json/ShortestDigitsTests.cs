using System.Numerics;
using ConvService.Api.Json;

namespace ConvService.Api.Tests.Json;

/// <summary>
/// The arithmetic the shortest-digits search rests on: its logarithm shortcuts against exact big-integer logarithms,
/// its tables (a double's and a float's) against their definitions, and the shift range each multiply assumes, for every
/// exponent a float or double can have.
/// </summary>
public class ShortestDigitsTests
{
    [Fact]
    public void LogarithmShortcutsAreExactOverTheirRange()
    {
        for (var e = 0; e <= 1650; e++)
            Assert.Equal(DigitsOf(BigInteger.Pow(2, e)) - 1, ShortestDigits.Log10Pow2(e));
        for (var e = 0; e <= 2620; e++)
            Assert.Equal(DigitsOf(BigInteger.Pow(5, e)) - 1, ShortestDigits.Log10Pow5(e));
        for (var e = 0; e <= 3528; e++)
            Assert.Equal((int)BigInteger.Pow(5, e).GetBitLength(), ShortestDigits.Pow5Bits(e));
    }

    public static TheoryData<string> Precisions => ["double", "float"];

    [Theory]
    [MemberData(nameof(Precisions))]
    public void PowersOfFiveHoldTheLeadingBitsOfEachPower(string precision)
    {
        var (_, table, _, bits) = Tables(precision);
        for (var i = 0; i < Count(table, bits); i++)
        {
            var power = BigInteger.Pow(5, i);
            var entry = Entry(table, bits, i);
            Assert.Equal(bits, entry.GetBitLength());
            // entry·2^shift ≤ 5^i < (entry + 1)·2^shift, with shift = bit length − bits (negative: 5^i is exact).
            var shift = (int)power.GetBitLength() - bits;
            if (shift <= 0)
                Assert.Equal(power << -shift, entry);
            else
                Assert.True(entry << shift <= power && power < (entry + 1) << shift, $"{precision} 5^{i}");
        }
    }

    [Theory]
    [MemberData(nameof(Precisions))]
    public void InversePowersOfFiveRoundTheReciprocalUp(string precision)
    {
        var (inverse, _, bits, _) = Tables(precision);
        for (var q = 0; q < Count(inverse, bits); q++)
        {
            var power = BigInteger.Pow(5, q);
            var entry = Entry(inverse, bits, q);
            // (entry − 1)·5^q ≤ 2^k < entry·5^q: the entry is just above 2^k / 5^q.
            var k = ShortestDigits.Pow5Bits(q) - 1 + bits;
            var scale = BigInteger.One << k;
            Assert.True((entry - 1) * power <= scale && scale < entry * power, $"{precision} 5^-{q}");
        }
    }

    [Theory]
    [InlineData("double", 1023, 52, 2046, 65, 127)]
    [InlineData("float", 127, 23, 254, 32, 95)]
    public void EveryExponentUsesATableEntryAndAShiftTheMultiplyHandles(string precision, int bias, int mantissaBits, int maxBiased, int minShift, int maxShift)
    {
        // The same exponent arithmetic as the search, for every biased exponent.
        var (inverse, powers, inverseBits, powerBits) = Tables(precision);
        for (var biased = 0; biased <= maxBiased; biased++)
        {
            var e2 = Math.Max(biased, 1) - bias - mantissaBits - 2;
            int shift, entry, entries;
            if (e2 >= 0)
            {
                var q = ShortestDigits.Log10Pow2(e2) - (e2 > 3 ? 1 : 0);
                (shift, entry, entries) = (-e2 + q + inverseBits + ShortestDigits.Pow5Bits(q) - 1, q, Count(inverse, inverseBits));
            }
            else
            {
                var q = ShortestDigits.Log10Pow5(-e2) - (-e2 > 1 ? 1 : 0);
                var i = -e2 - q;
                (shift, entry, entries) = (q - (ShortestDigits.Pow5Bits(i) - powerBits), i, Count(powers, powerBits));
            }
            Assert.InRange(entry, 0, entries - 1);
            Assert.InRange(shift, minShift, maxShift);
        }
    }

    private static (ulong[] Inverse, ulong[] Powers, int InverseBits, int PowerBits) Tables(string precision) => precision == "double"
        ? (DoublePowers.Inverse, DoublePowers.Powers, DoublePowers.InverseBits, DoublePowers.PowerBits)
        : (FloatPowers.Inverse, FloatPowers.Powers, FloatPowers.InverseBits, FloatPowers.PowerBits);

    private static int Count(ulong[] table, int bits) => bits <= 64 ? table.Length : table.Length / 2;

    private static BigInteger Entry(ulong[] table, int bits, int index) =>
        bits <= 64 ? table[index] : ((BigInteger)table[2 * index + 1] << 64) | table[2 * index];

    private static int DigitsOf(BigInteger value) => value.ToString().Length;
}
