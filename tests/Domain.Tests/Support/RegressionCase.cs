using System.Globalization;
using System.Numerics;
using System.Text.Json;
using ConvService.Domain.Geometry;
using ConvService.Domain.Pooling;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Tests.Support;

/// <summary>One line of Pooling/Regression/pool2d-722eb1e.jsonl: a 2-D pooling call and the bits the pre-refactor Domain answered.</summary>
internal sealed class RegressionCase
{
    public const string File = "pool2d-722eb1e.jsonl";

    private static readonly Lazy<string[]> Lines = new(() =>
        System.IO.File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Pooling", "Regression", File)).Where(l => l.Length > 0).ToArray());

    private readonly JsonElement _root;

    private RegressionCase(JsonElement root) => _root = root;

    public static int Count => Lines.Value.Length;

    public string Mode => _root.GetProperty("mode").GetString()!;

    public bool IsFloat32 => _root.GetProperty("dtype").GetString() == "float32";

    public TensorShape Shape => ShapeOf("shape");

    public TensorShape OutputShape => ShapeOf("outputShape");

    public int[]? Indices => _root.TryGetProperty("indices", out var indices) ? [.. indices.EnumerateArray().Select(i => i.GetInt32())] : null;

    public static RegressionCase Load(int line)
    {
        using var document = JsonDocument.Parse(Lines.Value[line]);
        return new RegressionCase(document.RootElement.Clone());
    }

    /// <summary>The tensor stored under <paramref name="name"/> (hex of each element's bits), or null when absent.</summary>
    public T[]? Bits<T>(string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!_root.TryGetProperty(name, out var hex))
            return null;
        var text = hex.GetString()!;
        var digits = typeof(T) == typeof(double) ? 16 : 8;
        var values = new T[text.Length / digits];
        for (var i = 0; i < values.Length; i++)
        {
            var bits = ulong.Parse(text.AsSpan(i * digits, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            values[i] = typeof(T) == typeof(double) ? T.CreateTruncating(BitConverter.UInt64BitsToDouble(bits)) : T.CreateTruncating(BitConverter.UInt32BitsToSingle((uint)bits));
        }
        return values;
    }

    public TensorShape? SamplesShape => _root.TryGetProperty("randomSamplesShape", out _) ? ShapeOf("randomSamplesShape") : null;

    /// <summary>The options as the call gave them; absent ones stay null.</summary>
    public PoolOptions Options()
    {
        var o = _root.GetProperty("options");
        Spatial? Ints(string name) => o.TryGetProperty(name, out var v) ? new Spatial([.. v.EnumerateArray().Select(e => e.GetInt32())]) : null;
        bool? Flag(string name) => o.TryGetProperty(name, out var v) ? v.GetBoolean() : null;
        int? Int(string name) => o.TryGetProperty(name, out var v) ? v.GetInt32() : null;
        return new PoolOptions(
            KernelSize: Ints("kernelSize"),
            Stride: Ints("stride"),
            Padding: Ints("padding"),
            Dilation: Ints("dilation"),
            CeilMode: Flag("ceilMode"),
            CountIncludePad: Flag("countIncludePad"),
            DivisorOverride: Int("divisorOverride"),
            NormType: o.TryGetProperty("normType", out var p) ? p.GetDouble() : null,
            OutputSize: o.TryGetProperty("outputSize", out var size) ? OutputSize(size) : null,
            OutputRatio: o.TryGetProperty("outputRatio", out var ratio) ? new PoolRatio(ratio[0].GetDouble(), ratio[1].GetDouble()) : null,
            Seed: Int("seed"),
            ReturnIndices: Flag("returnIndices"));
    }

    public override string ToString() => $"{Mode} {_root.GetProperty("dtype").GetString()} {Shape} {_root.GetProperty("options").GetRawText()}";

    private static PoolOutputSize OutputSize(JsonElement size)
    {
        int? Entry(int axis) => size[axis].ValueKind == JsonValueKind.Null ? null : size[axis].GetInt32();
        return new PoolOutputSize(Entry(0), Entry(1));
    }

    private TensorShape ShapeOf(string name) => new([.. _root.GetProperty(name).EnumerateArray().Select(d => d.GetInt32())]);
}
