using System.Globalization;
using System.Text;
using CsCheck;
using ConvService.Api.Json;

namespace ConvService.Api.Tests.Json;

/// <summary>
/// The fast number writer against the framework's own formatter (<c>TryFormat(…, "R", InvariantCulture)</c>, which
/// the response writer used before): the same bytes for random bit patterns, ordinary values and the edge cases, and
/// text that reads back as the same value.
/// </summary>
public class RoundTripTextTests
{
    /// <summary>
    /// Powers of two where the framework's 16 digits read back as the double below (it takes the gap under a power of
    /// two as wide as the gap above); the writer gives the 17 digits that read back. Both signs.
    /// </summary>
    private static readonly HashSet<ulong> FrameworkMisreads =
    [
        BitConverter.DoubleToUInt64Bits(Math.ScaleB(1.0, -25)), BitConverter.DoubleToUInt64Bits(-Math.ScaleB(1.0, -25)),
        BitConverter.DoubleToUInt64Bits(Math.ScaleB(1.0, -958)), BitConverter.DoubleToUInt64Bits(-Math.ScaleB(1.0, -958)),
    ];

    [Fact]
    public void DoublesFromRandomBitPatternsMatchTheFramework()
    {
        var random = new Random(20180618);
        for (var i = 0; i < 2_000_000; i++)
            AssertSameAsFramework(BitConverter.Int64BitsToDouble(random.NextInt64() ^ (random.Next(2) == 0 ? 0 : long.MinValue)));
    }

    [Fact]
    public void FloatsFromRandomBitPatternsMatchTheFramework()
    {
        var random = new Random(20180619);
        for (var i = 0; i < 2_000_000; i++)
            AssertSameAsFramework(BitConverter.Int32BitsToSingle((int)random.NextInt64(uint.MaxValue + 1L)));
    }

    [Fact]
    public void OrdinaryMagnitudesMatchTheFramework()
    {
        // Random bit patterns are mostly huge or tiny; these stay within 1e-6 … 1e20, where plain notation and its
        // switch points live, and include short decimals like a tensor's -0.123456.
        var random = new Random(7);
        for (var i = 0; i < 500_000; i++)
        {
            var value = (random.NextDouble() * 2 - 1) * Math.Pow(10, random.Next(-6, 21));
            AssertSameAsFramework(value);
            AssertSameAsFramework((float)value);
            var shortDecimal = Math.Round(value, random.Next(0, 8));
            AssertSameAsFramework(shortDecimal);
            AssertSameAsFramework((float)shortDecimal);
        }
    }

    [Fact]
    public void DoublesAndFloatsFromCsCheckMatchTheFramework()
    {
        // CsCheck's generators favour the awkward corners (tiny, huge, subnormal, integral) and shrink a failure to
        // a small example; it prints the seed to replay one.
        Gen.Double.Sample(value => AssertSameAsFramework(value), iter: 200_000, threads: 1);
        Gen.Single.Sample(value => AssertSameAsFramework(value), iter: 200_000, threads: 1);
    }

    [Fact]
    public void EdgeCasesMatchTheFramework()
    {
        double[] doubles =
        [
            0.0, -0.0, 1, -1, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 5e-324, -5e-324, double.Epsilon, double.MaxValue, double.MinValue,
            1.7976931348623157e308, 2.2250738585072014E-308, 2.2250738585072009E-308, 4.9406564584124654E-324,
            9007199254740992, 9007199254740993, 9007199254740991, 123456789012345678, 1e23, 8.41e21, 5e-310,
            0.30000000000000004, 109, 92, 72, -0.123456, 1.5, 100, 1e15, 1e16, 1e17, 1.2345678901234567e16,
        ];
        foreach (var value in doubles)
        {
            AssertSameAsFramework(value);
            AssertSameAsFramework(NextUp(value));
            AssertSameAsFramework(NextDown(value));
        }
        float[] floats =
        [
            0f, -0f, 1f, 0.1f, 1f / 3, float.Epsilon, float.MaxValue, float.MinValue, 1.17549435E-38f, 1.17549421E-38f,
            16777216f, 16777217f, 33554432f, 123456789f, 99999999f, 1e8f, 1e9f, 1e10f, 0.0001f, 1e-5f, 3.4028235e38f,
        ];
        foreach (var value in floats)
        {
            AssertSameAsFramework(value);
            AssertSameAsFramework(MathF.BitIncrement(value));
            AssertSameAsFramework(MathF.BitDecrement(value));
        }
    }

    [Fact]
    public void PowersOfTwoAndTenMatchTheFramework()
    {
        for (var e = -1074; e <= 1023; e++)
        {
            AssertSameAsFramework(Math.ScaleB(1.0, e));
            AssertSameAsFramework(-Math.ScaleB(1.0, e));
            AssertSameAsFramework(NextUp(Math.ScaleB(1.0, e)));
        }
        for (var e = -149; e <= 127; e++)
        {
            AssertSameAsFramework(MathF.ScaleB(1f, e));
            AssertSameAsFramework(-MathF.ScaleB(1f, e));
            AssertSameAsFramework(MathF.BitIncrement(MathF.ScaleB(1f, e)));
            AssertSameAsFramework(MathF.BitDecrement(MathF.ScaleB(1f, e)));
        }
        // Each power of ten and its neighbours: the digit count changes there, and so does the notation at 1e-5 and
        // at 1e17 (double) or 1e9 (float).
        for (var e = -324; e <= 308; e++)
        {
            var power = double.Parse($"1e{e}", CultureInfo.InvariantCulture);
            AssertSameAsFramework(power);
            AssertSameAsFramework(NextUp(power));
            AssertSameAsFramework(NextDown(power));
            AssertSameAsFramework(9.5 * power);
        }
        for (var e = -45; e <= 38; e++)
        {
            var power = float.Parse($"1e{e}", CultureInfo.InvariantCulture);
            AssertSameAsFramework(power);
            AssertSameAsFramework(MathF.BitIncrement(power));
            AssertSameAsFramework(MathF.BitDecrement(power));
        }
    }

    [Fact]
    public void FloatsAtBothEndsOfEveryExponentMatchTheFramework()
    {
        // Each float exponent picks its own power of five and shift; the smallest and largest significands (and the
        // power of two, whose lower gap is half as wide) are where a short table or a wrong shift shows first.
        var random = new Random(23);
        for (var biased = 0u; biased <= 254; biased++)
        {
            uint[] mantissas = [0, 1, 2, 3, 4, 5, (1 << 23) - 1, (1 << 23) - 2, (1 << 22), (uint)random.Next(1 << 23), (uint)random.Next(1 << 23)];
            foreach (var mantissa in mantissas)
            {
                AssertSameAsFramework(BitConverter.UInt32BitsToSingle(biased << 23 | mantissa));
                AssertSameAsFramework(BitConverter.UInt32BitsToSingle(0x8000_0000u | biased << 23 | mantissa));
            }
        }
    }

    [Theory]
    [InlineData(0)] // subnormals: no hidden bit, the narrowest interval
    [InlineData(1)] // the smallest normals, whose lower gap stays wide at the power of two
    [InlineData(150)] // e2 = -2: the last exponent with q ≤ 1, where every candidate is exact
    [InlineData(152)] // e2 = 0: the first exponent scaled by an inverse power of five
    [InlineData(157)] // exact integers near 2^30: ties decided by 5^q dividing the value or a bound
    public void EveryFloatOfAnExponentMatchesTheFramework(uint biased)
    {
        for (var mantissa = 0u; mantissa < 1u << 23; mantissa++)
            AssertSameAsFramework(BitConverter.UInt32BitsToSingle(biased << 23 | mantissa));
    }

    [Fact]
    public void FloatsWhoseShortestFormEndsInZerosMatchTheFramework()
    {
        // Short decimals times powers of ten: the digits drop to a value with trailing zeros, or to an exact integer.
        var random = new Random(31);
        for (var i = 0; i < 300_000; i++)
        {
            var digits = random.Next(1, 100_000);
            var value = float.Parse($"{digits}e{random.Next(-45, 35)}", CultureInfo.InvariantCulture);
            AssertSameAsFramework(value);
            AssertSameAsFramework(-value);
            AssertSameAsFramework(MathF.BitIncrement(value));
            AssertSameAsFramework(MathF.BitDecrement(value));
        }
    }

    [Fact]
    public void DoublesWithUpToFifteenDigitsMatchTheFramework()
    {
        // Decimals as people type them: the writer proves these with one multiply and one division (2^-24 ≤ value
        // < 2^44) and drops their trailing zeros; their neighbours, and 16- and 17-digit decimals, take the full search.
        var random = new Random(41);
        for (var i = 0; i < 400_000; i++)
        {
            var length = random.Next(1, 18);
            var digits = random.NextInt64(1, (long)Math.Pow(10, Math.Min(length, 17)));
            var value = double.Parse($"{digits}e{random.Next(-30, 16) - length + 1}", CultureInfo.InvariantCulture);
            AssertSameAsFramework(value);
            AssertSameAsFramework(-value);
            AssertSameAsFramework(NextUp(value));
            AssertSameAsFramework(NextDown(value));
        }
        foreach (var edge in new[] { Math.ScaleB(1.0, -24), Math.ScaleB(1.0, 44), 1e-7, 1e13, 2e14, 999999999999999e-14, 0.1, 0.3 })
        {
            AssertSameAsFramework(edge);
            AssertSameAsFramework(NextUp(edge));
            AssertSameAsFramework(NextDown(edge));
        }
    }

    [Fact]
    public void IntegersMatchTheFramework()
    {
        for (long n = 0; n < 300_000; n++)
        {
            AssertSameAsFramework((double)n);
            AssertSameAsFramework((float)n);
        }
        // Where the writer's integer shortcut ends (2^24 for floats, 2^53 for doubles) and integers ending in zeros.
        for (var n = -4L; n <= 4; n++)
        {
            AssertSameAsFramework((double)((1L << 53) + 2 * n));
            AssertSameAsFramework((float)((1L << 24) + 2 * n));
            AssertSameAsFramework((double)((1L << 24) + n));
        }
        for (var (power, k) = (1L, 0); k < 16; power *= 10, k++)
        {
            foreach (var digits in new[] { 1L, 7, 12, 999, 1234 })
            {
                AssertSameAsFramework((double)(digits * power));
                AssertSameAsFramework((float)(digits * power));
            }
        }
        var random = new Random(53);
        for (var i = 0; i < 300_000; i++)
        {
            var n = random.NextInt64(1L << 53);
            AssertSameAsFramework((double)n);
            AssertSameAsFramework((double)-n);
            AssertSameAsFramework((float)n);
        }
    }

    [Fact]
    public void TheFrameworkMisreadsTwoPowersOfTwoThatTheWriterGetsRight()
    {
        Span<byte> text = stackalloc byte[RoundTripText.MaxLength];
        foreach (var bits in FrameworkMisreads)
        {
            var value = BitConverter.UInt64BitsToDouble(bits);
            var framework = value.ToString("R", CultureInfo.InvariantCulture);
            Assert.NotEqual(bits, BitConverter.DoubleToUInt64Bits(double.Parse(framework, CultureInfo.InvariantCulture)));
            var ours = Encoding.ASCII.GetString(text[..RoundTripText.Write(value, text)]);
            Assert.Equal(bits, BitConverter.DoubleToUInt64Bits(double.Parse(ours, CultureInfo.InvariantCulture)));
            Assert.Equal(framework.Length + 1, ours.Length);
        }
    }

    [Fact]
    public void TextReadsBackAsTheSameValue()
    {
        Span<byte> text = stackalloc byte[RoundTripText.MaxLength];
        var random = new Random(99);
        for (var i = 0; i < 300_000; i++)
        {
            var value = BitConverter.Int64BitsToDouble(random.NextInt64() & long.MaxValue);
            if (!double.IsFinite(value))
                continue;
            Assert.True(double.TryParse(text[..RoundTripText.Write(value, text)], CultureInfo.InvariantCulture, out var read));
            Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(read));
            var single = BitConverter.Int32BitsToSingle(random.Next() & 0x7F7F_FFFF);
            Assert.True(float.TryParse(text[..RoundTripText.Write(single, text)], CultureInfo.InvariantCulture, out var readSingle));
            Assert.Equal(BitConverter.SingleToInt32Bits(single), BitConverter.SingleToInt32Bits(readSingle));
        }
    }

    [Fact]
    public void ADestinationShorterThanMaxLengthIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RoundTripText.Write(1.0, new byte[RoundTripText.MaxLength - 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => RoundTripText.Write(1f, new byte[RoundTripText.MaxLength - 1]));
    }

    private static double NextUp(double value) => Math.BitIncrement(value);

    private static double NextDown(double value) => Math.BitDecrement(value);

    private static void AssertSameAsFramework(double value)
    {
        if (!double.IsFinite(value) || FrameworkMisreads.Contains(BitConverter.DoubleToUInt64Bits(value)))
            return;
        Span<byte> expected = stackalloc byte[64];
        Span<byte> actual = stackalloc byte[RoundTripText.MaxLength];
        value.TryFormat(expected, out var expectedLength, "R", CultureInfo.InvariantCulture);
        var actualLength = RoundTripText.Write(value, actual);
        if (!expected[..expectedLength].SequenceEqual(actual[..actualLength]))
            Assert.Fail($"double 0x{BitConverter.DoubleToUInt64Bits(value):X16}: framework wrote {Encoding.ASCII.GetString(expected[..expectedLength])}, RoundTripText wrote {Encoding.ASCII.GetString(actual[..actualLength])}");
    }

    private static void AssertSameAsFramework(float value)
    {
        if (!float.IsFinite(value))
            return;
        Span<byte> expected = stackalloc byte[64];
        Span<byte> actual = stackalloc byte[RoundTripText.MaxLength];
        value.TryFormat(expected, out var expectedLength, "R", CultureInfo.InvariantCulture);
        var actualLength = RoundTripText.Write(value, actual);
        if (!expected[..expectedLength].SequenceEqual(actual[..actualLength]))
            Assert.Fail($"float 0x{BitConverter.SingleToUInt32Bits(value):X8}: framework wrote {Encoding.ASCII.GetString(expected[..expectedLength])}, RoundTripText wrote {Encoding.ASCII.GetString(actual[..actualLength])}");
    }
}
