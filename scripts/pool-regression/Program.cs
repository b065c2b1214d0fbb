using System.Numerics;
using System.Text;
using System.Text.Json;
using ConvService.Domain.Geometry;
using ConvService.Domain.Pooling;
using ConvService.Domain.Tensors;

// Seeded random 2-D pooling calls, each answered forward and backward by the Domain this program is built against
// (generate.sh builds it against commit 722eb1e), one JSON line per call with every tensor as the hex of its bits.
// Options left out of "options" were not given. tests/Domain.Tests/Pooling/PoolRegressionTests replays the file.
const int CasesPerMode = 24;

var random = new Random(20260612);
var output = new StringBuilder();
foreach (var dtype in new[] { "float64", "float32" })
{
    foreach (var mode in Enum.GetValues<PoolMode>())
    {
        for (var made = 0; made < CasesPerMode;)
        {
            var call = Calls.Random(random, mode);
            if (PoolRules.Check(mode, call.Shape, call.Options, call.SamplesShape).Count > 0)
                continue;
            output.AppendLine(dtype == "float32" ? Calls.Answer<float>(call, dtype) : Calls.Answer<double>(call, dtype));
            made++;
        }
    }
}
Console.Write(output);

internal sealed record Call(PoolMode Mode, TensorShape Shape, PoolOptions Options, double[] Input, TensorShape? SamplesShape, double[]? Samples, bool WithGradOutput, int GradSeed);

internal static class Calls
{
    private static readonly double[] NormTypes = [1, 2, 3, 1.5, 0.5, 2.5, 4, 0.75];

    public static Call Random(Random random, PoolMode mode)
    {
        var rank = random.Next(2, 5);
        var (height, width) = (random.Next(1, 13), random.Next(4) == 0 ? random.Next(13, 41) : random.Next(1, 13));
        int[] dims = rank switch
        {
            2 => [height, width],
            3 => [random.Next(1, 4), height, width],
            _ => [random.Next(1, 3), random.Next(1, 4), height, width],
        };
        var shape = new TensorShape(dims);
        var options = OptionsFor(random, mode, height, width);
        var planes = (int)(shape.ElementCount!.Value / (height * width));
        var samplesShape = rank switch { 4 => new TensorShape(dims[0], dims[1], 2), 3 => new TensorShape(dims[0], 2), _ => new TensorShape(1, 2) };
        var given = mode == PoolMode.FractionalMax && options.Seed is null;
        return new Call(
            mode,
            shape,
            options,
            Values(random, (int)shape.ElementCount!.Value, mode),
            given ? samplesShape : null,
            given ? [.. Enumerable.Range(0, 2 * planes).Select(_ => random.NextDouble())] : null,
            random.Next(10) < 7,
            random.Next());
    }

    private static PoolOptions OptionsFor(Random random, PoolMode mode, int height, int width)
    {
        bool? Flag() => random.Next(3) switch { 0 => null, 1 => true, _ => false };
        Spatial Pair(int least, int most) => new(random.Next(least, most + 1), random.Next(least, most + 1));
        switch (mode)
        {
            case PoolMode.Max:
            {
                var kernel = Pair(1, 4);
                var dilation = random.Next(2) == 0 ? (Spatial?)null : Pair(1, 2);
                var reach = new Spatial((dilation?[0] ?? 1) * (kernel[0] - 1) + 1, (dilation?[1] ?? 1) * (kernel[1] - 1) + 1);
                var padding = random.Next(2) == 0 ? (Spatial?)null : new Spatial(random.Next(0, reach[0] / 2 + 1), random.Next(0, reach[1] / 2 + 1));
                return new PoolOptions(KernelSize: kernel, Stride: random.Next(2) == 0 ? null : Pair(1, 3), Padding: padding, Dilation: dilation, CeilMode: Flag(), ReturnIndices: Flag());
            }
            case PoolMode.Avg:
            {
                var kernel = Pair(1, 4);
                var padding = random.Next(2) == 0 ? (Spatial?)null : new Spatial(random.Next(0, kernel[0] / 2 + 1), random.Next(0, kernel[1] / 2 + 1));
                return new PoolOptions(KernelSize: kernel, Stride: random.Next(2) == 0 ? null : Pair(1, 3), Padding: padding, CeilMode: Flag(), CountIncludePad: Flag(), DivisorOverride: random.Next(4) == 0 ? random.Next(1, 10) : null);
            }
            case PoolMode.Lp:
                return new PoolOptions(KernelSize: Pair(1, 4), Stride: random.Next(2) == 0 ? null : Pair(1, 3), CeilMode: Flag(), NormType: NormTypes[random.Next(NormTypes.Length)]);
            case PoolMode.FractionalMax:
            {
                var kernel = Pair(1, 3);
                var seed = random.Next(3) == 0 ? random.Next() : (int?)null;
                if (random.Next(2) == 0)
                    return new PoolOptions(KernelSize: kernel, OutputSize: new PoolOutputSize(random.Next(1, Math.Max(2, height - kernel[0] + 2)), random.Next(1, Math.Max(2, width - kernel[1] + 2))), Seed: seed, ReturnIndices: Flag());
                return new PoolOptions(KernelSize: kernel, OutputRatio: new PoolRatio(0.05 + 0.9 * random.NextDouble(), 0.05 + 0.9 * random.NextDouble()), Seed: seed, ReturnIndices: Flag());
            }
            default:
            {
                int? Size(int input) => random.Next(4) == 0 ? null : random.Next(1, input + 4);
                return new PoolOptions(OutputSize: new PoolOutputSize(Size(height), Size(width)), ReturnIndices: mode == PoolMode.AdaptiveMax ? Flag() : null);
            }
        }
    }

    // Smooth values (full precision), small numbers with ties and signed zeros, or those plus infinities and NaN;
    // lp mostly positive so that fractional powers stay real.
    private static double[] Values(Random random, int count, PoolMode mode)
    {
        var kind = random.Next(mode == PoolMode.Lp ? 5 : 3);
        return [.. Enumerable.Range(0, count).Select(_ => kind switch
        {
            0 => random.NextDouble() * 4 - 2,
            1 => random.Next(3) == 0 ? (random.Next(2) == 0 ? 0.0 : -0.0) : random.Next(-3, 4) + random.Next(4) / 4.0,
            2 => random.Next(12) switch
            {
                0 => double.NaN,
                1 => double.NegativeInfinity,
                2 => double.PositiveInfinity,
                3 => -0.0,
                _ => random.Next(-3, 4) + random.Next(4) / 4.0,
            },
            _ => 0.05 + random.NextDouble() * 3,
        })];
    }

    public static string Answer<T>(Call call, string dtype) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var input = Tensor<T>.Wrap(call.Shape, call.Input.Select(T.CreateTruncating).ToArray());
        var sampleValues = call.Samples?.Select(T.CreateTruncating).Select(s => s < T.One ? s : T.Zero).ToArray();
        using var samples = sampleValues is null ? null : Tensor<T>.Wrap(call.SamplesShape!.Value, sampleValues);
        var result = Pool2d.Forward(call.Mode, input, call.Options, samples);
        var gradRandom = new Random(call.GradSeed);
        using var gradOutput = call.WithGradOutput
            ? Tensor<T>.Wrap(result.Output.Shape, Enumerable.Range(0, result.Output.Length).Select(_ => T.CreateTruncating(gradRandom.NextDouble() * 4 - 2)).ToArray())
            : null;
        using var gradInput = Pool2d.Backward(call.Mode, input, gradOutput, call.Options, samples);

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("mode", PoolRules.NameOf(call.Mode));
            json.WriteString("dtype", dtype);
            Shape(json, "shape", call.Shape);
            json.WriteString("input", Hex<T>(input.Span));
            WriteOptions(json, call.Options);
            if (samples is not null)
            {
                Shape(json, "randomSamplesShape", samples.Shape);
                json.WriteString("randomSamples", Hex<T>(samples.Span));
            }
            if (gradOutput is not null)
                json.WriteString("gradOutput", Hex<T>(gradOutput.Span));
            Shape(json, "outputShape", result.Output.Shape);
            json.WriteString("output", Hex<T>(result.Output.Span));
            if (result.Indices is not null)
            {
                json.WriteStartArray("indices");
                foreach (var index in result.Indices)
                    json.WriteNumberValue(index);
                json.WriteEndArray();
            }
            if (result.Samples is not null)
                json.WriteString("samplesUsed", Hex<T>(result.Samples.Span));
            json.WriteString("gradInput", Hex<T>(gradInput.Span));
            json.WriteEndObject();
        }
        result.Output.Dispose();
        result.Samples?.Dispose();
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteOptions(Utf8JsonWriter json, PoolOptions o)
    {
        json.WriteStartObject("options");
        Pair(json, "kernelSize", o.KernelSize);
        Pair(json, "stride", o.Stride);
        Pair(json, "padding", o.Padding);
        Pair(json, "dilation", o.Dilation);
        if (o.CeilMode is { } ceil)
            json.WriteBoolean("ceilMode", ceil);
        if (o.CountIncludePad is { } countPad)
            json.WriteBoolean("countIncludePad", countPad);
        if (o.DivisorOverride is { } divisor)
            json.WriteNumber("divisorOverride", divisor);
        if (o.NormType is { } p)
            json.WriteNumber("normType", p);
        if (o.OutputSize is { } size)
        {
            json.WriteStartArray("outputSize");
            foreach (var entry in new[] { size.Height, size.Width })
            {
                if (entry is { } v)
                    json.WriteNumberValue(v);
                else
                    json.WriteNullValue();
            }
            json.WriteEndArray();
        }
        if (o.OutputRatio is { } ratio)
        {
            json.WriteStartArray("outputRatio");
            json.WriteNumberValue(ratio.Height);
            json.WriteNumberValue(ratio.Width);
            json.WriteEndArray();
        }
        if (o.Seed is { } seed)
            json.WriteNumber("seed", seed);
        if (o.ReturnIndices is { } indices)
            json.WriteBoolean("returnIndices", indices);
        json.WriteEndObject();
    }

    private static void Pair(Utf8JsonWriter json, string name, Spatial? value)
    {
        if (value is not { } v)
            return;
        json.WriteStartArray(name);
        foreach (var x in v.Values)
            json.WriteNumberValue(x);
        json.WriteEndArray();
    }

    private static void Shape(Utf8JsonWriter json, string name, TensorShape shape)
    {
        json.WriteStartArray(name);
        foreach (var d in shape.Dims)
            json.WriteNumberValue(d);
        json.WriteEndArray();
    }

    // Big-endian hex of each element's bits, 16 digits per double and 8 per float, concatenated.
    private static string Hex<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var text = new StringBuilder(values.Length * 16);
        foreach (var value in values)
        {
            if (value is double d)
                text.Append(BitConverter.DoubleToUInt64Bits(d).ToString("x16", null));
            else if (value is float f)
                text.Append(BitConverter.SingleToUInt32Bits(f).ToString("x8", null));
        }
        return text.ToString();
    }
}
