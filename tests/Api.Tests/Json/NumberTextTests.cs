using System.Globalization;
using System.IO.Pipelines;
using System.Numerics;
using System.Text;
using System.Text.Json;
using ConvService.Api.Json;
using ConvService.Domain.Tensors;

namespace ConvService.Api.Tests.Json;

/// <summary>Numbers in and out: the fast parser agrees with double.Parse, the raw writer round-trips every value.</summary>
public class NumberTextTests
{
    [Fact]
    public void FastNumberAgreesWithDoubleParseOnRandomDecimals()
    {
        var random = new Random(42);
        for (var i = 0; i < 20000; i++)
        {
            var text = RandomDecimal(random);
            Assert.True(FastNumber.TryParse(Encoding.UTF8.GetBytes(text), out var fast), text);
            Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture), fast);
        }
    }

    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("-0", -0.0)]
    [InlineData("109", 109.0)]
    [InlineData("-0.1234", -0.1234)]
    [InlineData("1e400", double.PositiveInfinity)]
    [InlineData("2.2250738585072014E-308", 2.2250738585072014E-308)]
    [InlineData("0.30000000000000004", 0.30000000000000004)]
    [InlineData("123456789012345678901234567890", 1.2345678901234568E+29)]
    public void FastNumberParsesEdgeCasesLikeDoubleParse(string text, double expected)
    {
        Assert.True(FastNumber.TryParse(Encoding.UTF8.GetBytes(text), out var value));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(value));
    }

    [Theory]
    [InlineData(WireForm.Flat)]
    [InlineData(WireForm.Nested)]
    public async Task StreamedDoublesReadBackBitForBit(WireForm form)
    {
        var values = Values(new Random(1), 3 * 5 * 7 * 11).ToArray();

        var json = await Stream(new TensorShape(3, 5, 7, 11), values, form);

        Assert.Equal(values.Select(Bits), ReadBack(json).Select(Bits));
    }

    [Fact]
    public async Task StreamedFloatsAreWrittenInFloatDigits()
    {
        float[] values = [0.1f, 1f / 3, -2.5e-30f, float.MaxValue, float.NaN, float.NegativeInfinity];

        var json = await Stream(new TensorShape(2, 3), values, WireForm.Nested);

        Assert.Equal("""[[0.1,0.33333334,-2.5E-30],[3.4028235E+38,"NaN","-Infinity"]]""", json);
    }

    [Fact]
    public async Task StreamedTensorsAreTheFrameworksTextJoinedByCommas()
    {
        // Rows of 3000 values fill several 4 KiB blocks of the pipe, so entries fall on every block boundary.
        var doubles = Values(new Random(5), 2 * 3000).ToArray();
        var floats = doubles.Select(v => (float)v).ToArray();
        var shape = new TensorShape(2, 3000);

        Assert.Equal(Expected(doubles, 3000), await Stream(shape, doubles, WireForm.Nested));
        Assert.Equal(Expected(floats, 3000), await Stream(shape, floats, WireForm.Nested));
        Assert.Equal($"{{\"shape\":[2,3000],\"data\":{Expected(doubles, doubles.Length)[1..^1]}}}", await Stream(shape, doubles, WireForm.Flat));
        Assert.Equal("[" + Text(0.1f) + "]", await Stream(new TensorShape(), [0.1f], WireForm.Nested));
    }

    [Theory]
    [InlineData(WireForm.Flat)]
    [InlineData(WireForm.Nested)]
    public async Task ALargeTensorIsSentAsItIsWrittenNotHeldBack(WireForm form)
    {
        var pipe = new CountingPipeWriter(PipeWriter.Create(System.IO.Stream.Null));
        var values = Values(new Random(3), 256 * 1024).ToArray();

        await using (var writer = new Utf8JsonWriter(pipe))
            await TensorJsonWriter.WriteAsync<double>(writer, pipe, new TensorShape(256, 1024), values, form, default);

        // About 5 MB of text, sent at least once per 4096-value chunk (flat) or per 32 KiB of rows (nested).
        Assert.True(pipe.Flushes >= 60, $"{pipe.Flushes} sends: the tensor was held back");
    }

    /// <summary>Passes everything to another pipe writer and counts the sends.</summary>
    private sealed class CountingPipeWriter(PipeWriter inner) : PipeWriter
    {
        public int Flushes { get; private set; }

        public override void Advance(int bytes) => inner.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            Flushes++;
            return inner.FlushAsync(cancellationToken);
        }
    }

    private static async Task<string> Stream<T>(TensorShape shape, T[] values, WireForm form) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        await using (var writer = new Utf8JsonWriter(pipe.Writer))
        {
            await TensorJsonWriter.WriteAsync<T>(writer, pipe.Writer, shape, values, form, default);
            await writer.FlushAsync();
        }
        await pipe.Writer.CompleteAsync();
        var read = await pipe.Reader.ReadAsync();
        var text = Encoding.UTF8.GetString(read.Buffer);
        pipe.Reader.AdvanceTo(read.Buffer.End);
        return text;
    }

    /// <summary>The nested form as the framework's own formatter writes each value, rows of <paramref name="row"/>.</summary>
    private static string Expected<T>(T[] values, int row) where T : IFloatingPointIeee754<T> =>
        "[" + string.Join(",", values.Chunk(row).Select(r => "[" + string.Join(",", r.Select(Text)) + "]")) + "]";

    private static string Text<T>(T value) where T : IFloatingPointIeee754<T> =>
        T.IsNaN(value) ? "\"NaN\"" : T.IsInfinity(value) ? (T.IsPositive(value) ? "\"Infinity\"" : "\"-Infinity\"")
            : value.ToString("R", CultureInfo.InvariantCulture);

    private static double[] ReadBack(string json) => [.. Support.WireTensor.Parse(JsonDocument.Parse(json).RootElement).Data];

    private static long Bits(double value) => double.IsNaN(value) ? -1 : BitConverter.DoubleToInt64Bits(value);

    private static IEnumerable<double> Values(Random random, int count)
    {
        double[] special = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon, double.MaxValue, 1e-300, 109];
        for (var i = 0; i < count; i++)
            yield return i < special.Length ? special[i] : (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-20, 20));
    }

    private static string RandomDecimal(Random random)
    {
        var digits = random.Next(1, 19);
        var builder = new StringBuilder(random.Next(2) == 0 ? "-" : "");
        var point = random.Next(0, digits + 1);
        for (var d = 0; d < digits; d++)
        {
            if (d == point && d > 0)
                builder.Append('.');
            builder.Append((char)('0' + random.Next(d == 0 && point > 1 ? 1 : 0, 10)));
        }
        return builder.ToString();
    }
}
