// Records seeded random 2-D convolution requests and the exact bits of the pre-refactor service's answers.
//
// The answers come from commit 722eb1e (main before issue 12), whose Domain this program is compiled against:
//   git worktree add /tmp/golden-722eb1e 722eb1e
//   cp -r tests/Regression/Spatial2dGolden /tmp/golden-722eb1e/tests/Regression/
//   dotnet run -c Release --project /tmp/golden-722eb1e/tests/Regression/Spatial2dGolden -- tests/Api.Tests/Regression/spatial2d.jsonl
//   git worktree remove --force /tmp/golden-722eb1e
// It calls Conv2d.Forward/Backward exactly as 722eb1e's endpoints did: the request's numbers as doubles, rounded once
// to float for dtype float32, gradOutput absent meaning all ones. Each line is
//   {"endpoint", "request", "answers": {field: {"shape", "sha256", "bits"?}}}
// with sha256 over the answer's little-endian bytes in the request's dtype, and bits (base64 of those bytes) when the
// answer has at most 4096 elements, so a failure can name the first differing element.
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using ConvService.Domain.Convolution;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

var path = args.Length > 0 ? args[0] : "spatial2d.jsonl";
var random = new Random(722);
using var file = File.Create(path);
var count = 0;
foreach (var spec in Specs(random))
{
    using var writer = new Utf8JsonWriter(file);
    Record(spec, writer);
    writer.Flush();
    file.WriteByte((byte)'\n');
    count++;
}
Console.WriteLine($"{count} cases written to {path}");

static IEnumerable<Spec> Specs(Random random)
{
    // Small cases: every rank, padding form, mode, stride, dilation, groups, bias and dtype.
    for (var i = 0; i < 240; i++)
        yield return Draw(random, i);
    // Larger ones that reach both workers, several pixel and depth blocks and the tail panels.
    yield return Fixed(random, "forward", "float32", [2, 16, 24, 24], [32, 16, 3, 3], 1, 1, 1, "zeros", 2);
    yield return Fixed(random, "forward", "float64", [1, 3, 40, 40], [16, 3, 7, 7], 2, 3, 1, "reflect", 2);
    yield return Fixed(random, "backward", "float64", [4, 16, 16, 16], [32, 16, 3, 3], 1, 1, 1, "zeros", 2);
    yield return Fixed(random, "backward", "float32", [2, 8, 20, 20], [16, 8, 5, 5], 2, 2, 1, "circular", 2);
    yield return Fixed(random, "backward", "float32", [2, 12, 18, 22], [24, 4, 3, 3], 1, 1, 3, "replicate", 2);
    yield return Fixed(random, "forward", "float64", [4, 8, 16, 16], [8, 8, 3, 3], 1, 1, 1, "zeros", 2);
}

static Spec Draw(Random random, int index)
{
    while (true)
    {
        var groups = random.Next(1, 4);
        int c = groups * random.Next(1, 4), cout = groups * random.Next(1, 4);
        int h = random.Next(1, 11), w = random.Next(1, 11), kh = random.Next(1, 5), kw = random.Next(1, 5);
        var rank = random.Next(2, 5);
        if (rank == 2)
            (groups, c, cout) = (1, 1, 1);
        int[] input = rank switch { 2 => [h, w], 3 => [c, h, w], _ => [random.Next(1, 4), c, h, w] };
        int[] kernel = rank == 2 ? [kh, kw] : [cout, c / groups, kh, kw];
        var stride = Axes(random, 1, 3);
        var dilation = Axes(random, 1, 2);
        object padding = random.Next(6) switch
        {
            0 => "valid",
            1 => "same",
            2 => random.Next(0, 3),
            _ => new[] { random.Next(0, 4), random.Next(0, 4) },
        };
        if (padding is "same")
            stride = random.Next(2) == 0 ? 1 : new[] { 1, 1 };
        var mode = new[] { "zeros", "reflect", "replicate", "circular" }[random.Next(4)];
        var spec = new Spec(index % 2 == 0 ? "forward" : "backward", random.Next(2) == 0 ? "float64" : "float32",
            input, kernel, random.Next(2) == 0, stride, padding, dilation, rank == 2 && random.Next(2) == 0 ? null : groups, mode,
            random.Next(3) == 0, random.Next(2) == 0, Decimals: 6, random.Next());
        if (ConvRules.Check(new TensorShape(input), new TensorShape(kernel), null, spec.Options).Count == 0)
            return spec;
    }
}

static Spec Fixed(Random random, string endpoint, string dtype, int[] input, int[] kernel, int stride, int padding, int groups, string mode, int decimals) =>
    new(endpoint, dtype, input, kernel, true, stride, padding, 1, groups, mode, Flat: true, GradOutput: false, decimals, random.Next());

static object Axes(Random random, int least, int most) => random.Next(3) == 0
    ? random.Next(least, most + 1)
    : new[] { random.Next(least, most + 1), random.Next(least, most + 1) };

static void Record(Spec spec, Utf8JsonWriter writer)
{
    var values = new Random(spec.Seed);
    var input = Values(values, spec.Input, spec.Decimals);
    var kernel = Values(values, spec.Kernel, spec.Decimals);
    var outChannels = spec.Kernel.Length == 2 ? 1 : spec.Kernel[0];
    var bias = spec.Bias ? Values(values, [outChannels], spec.Decimals) : null;
    var geometry = ConvGeometry.Create(new TensorShape(spec.Input), new TensorShape(spec.Kernel), null, spec.Options);
    var gradOutput = spec.Endpoint == "backward" && spec.GradOutput ? Values(values, [.. geometry.OutputShape.Dims], spec.Decimals) : null;

    writer.WriteStartObject();
    writer.WriteString("endpoint", $"/conv/{spec.Endpoint}");
    writer.WriteStartObject("request");
    Tensor(writer, "input", spec.Input, input, spec.Flat);
    Tensor(writer, "kernel", spec.Kernel, kernel, spec.Flat);
    if (bias is not null)
        Tensor(writer, "bias", [outChannels], bias, spec.Flat);
    if (gradOutput is not null)
        Tensor(writer, "gradOutput", [.. geometry.OutputShape.Dims], gradOutput, spec.Flat);
    Option(writer, "stride", spec.Stride);
    Option(writer, "padding", spec.Padding);
    Option(writer, "dilation", spec.Dilation);
    if (spec.Groups is { } groups)
        writer.WriteNumber("groups", groups);
    writer.WriteString("paddingMode", spec.Mode);
    writer.WriteString("dtype", spec.Dtype);
    writer.WriteEndObject();
    writer.WriteStartObject("answers");
    if (spec.Dtype == "float32")
        Answers<float>(spec, input, kernel, bias, gradOutput, writer);
    else
        Answers<double>(spec, input, kernel, bias, gradOutput, writer);
    writer.WriteEndObject();
    writer.WriteEndObject();
}

static void Answers<T>(Spec spec, double[] input, double[] kernel, double[]? bias, double[]? gradOutput, Utf8JsonWriter writer)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    using var x = Domain<T>(spec.Input, input);
    using var w = Domain<T>(spec.Kernel, kernel);
    using var b = bias is null ? null : Domain<T>([bias.Length], bias);
    if (spec.Endpoint == "forward")
    {
        using var output = Conv2d.Forward(x, w, b, spec.Options);
        Answer(writer, "output", output);
        return;
    }
    var geometry = ConvGeometry.Create(x.Shape, w.Shape, null, spec.Options);
    using var gy = gradOutput is null ? null : Domain<T>([.. geometry.OutputShape.Dims], gradOutput);
    using var gradients = Conv2d.Backward(x, w, b, gy, spec.Options);
    Answer(writer, "gradInput", gradients.GradInput);
    Answer(writer, "gradKernel", gradients.GradKernel);
    if (gradients.GradBias is not null)
        Answer(writer, "gradBias", gradients.GradBias);
}

static void Answer<T>(Utf8JsonWriter writer, string name, Tensor<T> tensor) where T : unmanaged, IFloatingPointIeee754<T>
{
    var bytes = MemoryMarshal.AsBytes(tensor.Span).ToArray();
    writer.WriteStartObject(name);
    writer.WriteStartArray("shape");
    foreach (var d in tensor.Shape.Dims)
        writer.WriteNumberValue(d);
    writer.WriteEndArray();
    writer.WriteString("sha256", Convert.ToHexStringLower(SHA256.HashData(bytes)));
    if (tensor.Length <= 4096)
        writer.WriteBase64String("bits", bytes);
    writer.WriteEndObject();
}

// As JsonTensor.ToTensor did at 722eb1e: the wire's doubles, rounded once to float for float32.
static Tensor<T> Domain<T>(int[] shape, double[] values) where T : unmanaged, IFloatingPointIeee754<T>
{
    var tensor = Tensor<T>.Uninitialized(new TensorShape(shape));
    for (var i = 0; i < values.Length; i++)
        tensor.Span[i] = T.CreateTruncating(values[i]);
    return tensor;
}

static double[] Values(Random random, int[] shape, int decimals)
{
    var count = shape.Aggregate(1, (a, d) => a * d);
    return [.. Enumerable.Range(0, count).Select(_ => Math.Round(random.NextDouble() * 4 - 2, decimals))];
}

static void Tensor(Utf8JsonWriter writer, string name, int[] shape, double[] values, bool flat)
{
    writer.WritePropertyName(name);
    if (flat)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("shape");
        foreach (var d in shape)
            writer.WriteNumberValue(d);
        writer.WriteEndArray();
        writer.WriteStartArray("data");
        foreach (var v in values)
            writer.WriteNumberValue(v);
        writer.WriteEndArray();
        writer.WriteEndObject();
        return;
    }
    Nested(writer, shape, values);
}

static void Nested(Utf8JsonWriter writer, ReadOnlySpan<int> shape, ReadOnlySpan<double> values)
{
    writer.WriteStartArray();
    if (shape.Length == 1)
    {
        foreach (var v in values)
            writer.WriteNumberValue(v);
    }
    else
    {
        var stride = values.Length / shape[0];
        for (var i = 0; i < shape[0]; i++)
            Nested(writer, shape[1..], values.Slice(i * stride, stride));
    }
    writer.WriteEndArray();
}

static void Option(Utf8JsonWriter writer, string name, object value)
{
    switch (value)
    {
        case int n:
            writer.WriteNumber(name, n);
            break;
        case string s:
            writer.WriteString(name, s);
            break;
        case int[] pair:
            writer.WriteStartArray(name);
            foreach (var v in pair)
                writer.WriteNumberValue(v);
            writer.WriteEndArray();
            break;
    }
}

/// <summary>One request: shapes, options as they go on the wire (int, [h, w] or a string), and the seed of its values.</summary>
internal sealed record Spec(string Endpoint, string Dtype, int[] Input, int[] Kernel, bool Bias, object Stride, object Padding, object Dilation,
    int? Groups, string Mode, bool Flat, bool GradOutput, int Decimals, int Seed)
{
    public ConvOptions Options => new(Spatial(Stride), Padding switch
    {
        "same" => ConvPadding.Same,
        "valid" => ConvPadding.Valid,
        _ => ConvPadding.Explicit(Spatial(Padding)),
    }, Spatial(Dilation), Groups ?? 1, Enum.Parse<ConvService.Domain.Geometry.PaddingMode>(Mode, ignoreCase: true));

    private static Spatial Spatial(object value) => value is int n ? new Spatial(n, n) : new Spatial((int[])value);
}
