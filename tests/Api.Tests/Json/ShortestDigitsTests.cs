using System.Numerics;
using ConvService.Api.Json;

namespace ConvService.Api.Tests.Json;

/// <summary>
/// The arithmetic the shortest-digits search rests on: its logarithm shortcuts against exact big-integer logarithms,
/// its tables against their definitions, and the shift range its two-word multiply assumes, for every exponent a float
/// or double can have.
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

    [Fact]
    public void PowersOfFiveHoldTheLeading125BitsOfEachPower()
    {
        for (var i = 0; i < ShortestDigits.PowersOfFive.Length / 2; i++)
        {
            var power = BigInteger.Pow(5, i);
            var entry = Entry(ShortestDigits.PowersOfFive, i);
            Assert.Equal(125, entry.GetBitLength());
            // entry·2^shift ≤ 5^i < (entry + 1)·2^shift, with shift = bit length − 125 (negative: 5^i is exact).
            var shift = (int)power.GetBitLength() - 125;
            if (shift <= 0)
                Assert.Equal(power << -shift, entry);
            else
                Assert.True(entry << shift <= power && power < (entry + 1) << shift, $"5^{i}");
        }
    }

    [Fact]
    public void InversePowersOfFiveRoundTheReciprocalUp()
    {
        for (var q = 0; q < ShortestDigits.InversePowersOfFive.Length / 2; q++)
        {
            var power = BigInteger.Pow(5, q);
            var entry = Entry(ShortestDigits.InversePowersOfFive, q);
            // (entry − 1)·5^q ≤ 2^k < entry·5^q: the entry is just above 2^k / 5^q.
            var k = ShortestDigits.Pow5Bits(q) - 1 + 125;
            var scale = BigInteger.One << k;
            Assert.True((entry - 1) * power <= scale && scale < entry * power, $"5^-{q}");
        }
    }

    [Fact]
    public void EveryExponentUsesATableEntryAndAShiftTheMultiplyHandles()
    {
        // The same exponent arithmetic as the search, for every biased exponent of a double and of a float.
        foreach (var (bias, mantissaBits, maxBiased) in new[] { (1023, 52, 2046), (127, 23, 254) })
        {
            for (var biased = 0; biased <= maxBiased; biased++)
            {
                var e2 = Math.Max(biased, 1) - bias - mantissaBits - 2;
                int shift, entry, entries;
                if (e2 >= 0)
                {
                    var q = ShortestDigits.Log10Pow2(e2) - (e2 > 3 ? 1 : 0);
                    (shift, entry, entries) = (-e2 + q + 125 + ShortestDigits.Pow5Bits(q) - 1, q, ShortestDigits.InversePowersOfFive.Length / 2);
                }
                else
                {
                    var q = ShortestDigits.Log10Pow5(-e2) - (-e2 > 1 ? 1 : 0);
                    var i = -e2 - q;
                    (shift, entry, entries) = (q - (ShortestDigits.Pow5Bits(i) - 125), i, ShortestDigits.PowersOfFive.Length / 2);
                }
                Assert.InRange(entry, 0, entries - 1);
                Assert.InRange(shift, 65, 127);
            }
        }
    }

    private static BigInteger Entry(ulong[] table, int index) => ((BigInteger)table[2 * index + 1] << 64) | table[2 * index];

    private static int DigitsOf(BigInteger value) => value.ToString().Length;
}
