using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ConvService.Api.Contracts;
using ConvService.Api.Json;
using ConvService.Api.Tests.Support;
using ConvService.Domain.Tensors;

namespace ConvService.Benchmarks;

/// <summary>
/// Reading and writing a 1M-element tensor (1024×1024) as JSON on one core: the body reader that binds requests
/// (a /conv/forward body whose input is the tensor), and the streaming writer that answers them;
/// <see cref="ThroughputColumn"/> turns the median into MB/s. The body is read in place, as a request's is: from one
/// buffer, and (<see cref="ReadNestedInBlocks"/>) from the blocks Kestrel's pipe hands the binder (64 KiB, <see cref="ConvService.Api.Hosting.TransportMemory"/>).
/// </summary>
public class JsonBenchmarks
{
    private const int Side = 1024;

    private readonly JsonSerializerOptions _options = new();
    private byte[] _flat = [];
    private byte[] _nested = [];
    private ReadOnlySequence<byte> _nestedBlocks;
    private readonly double[] _doubles = JsonData.Values(Side * Side);
    private readonly float[] _floats = [.. JsonData.Values(Side * Side).Select(v => (float)(v * 3.3))];
    private readonly double[] _computed = JsonData.Computed(Side * Side);

    [GlobalSetup]
    public void Setup()
    {
        WireJson.Configure(_options);
        (_flat, _nested) = (Body(JsonData.Flat(_doubles)), Body(JsonData.Nested(_doubles, Side)));
        _nestedBlocks = BlockSequence.Of(_nested, ConvService.Api.Hosting.TransportMemory.BlockSize);
    }

    [Benchmark]
    public int ReadFlat() => Read(_flat);

    [Benchmark]
    public int ReadNested() => Read(_nested);

    [Benchmark]
    public int ReadNestedInBlocks()
    {
        using var request = JsonBody.Read<ConvForwardRequest>(_nestedBlocks, _options, Side * Side, 2 * Side * Side)!;
        return request.Input!.Length;
    }

    [Benchmark]
    public Task WriteFloat64() => Write<double>(_doubles);

    [Benchmark]
    public Task WriteFloat32() => Write<float>(_floats);

    /// <summary>Float64 answers of a computation (16–17 significant digits), where <see cref="WriteFloat64"/> writes typed decimals.</summary>
    [Benchmark]
    public Task WriteFloat64Computed() => Write<double>(_computed);

    /// <summary>The bytes each benchmark reads or writes, for <see cref="ThroughputColumn"/>.</summary>
    public static long BytesOf(string benchmark) => benchmark switch
    {
        nameof(ReadFlat) => Body(JsonData.Flat(JsonData.Values(Side * Side))).Length,
        nameof(ReadNested) or nameof(ReadNestedInBlocks) => Body(JsonData.Nested(JsonData.Values(Side * Side), Side)).Length,
        nameof(WriteFloat64) => Written<double>(JsonData.Values(Side * Side)),
        nameof(WriteFloat32) => Written<float>([.. JsonData.Values(Side * Side).Select(v => (float)(v * 3.3))]),
        nameof(WriteFloat64Computed) => Written<double>(JsonData.Computed(Side * Side)),
        _ => 0,
    };

    private int Read(byte[] json)
    {
        using var request = JsonBody.Read<ConvForwardRequest>(json, _options, Side * Side, 2 * Side * Side)!;
        return request.Input!.Length;
    }

    private static byte[] Body(byte[] tensor) => [.. "{\"input\":"u8, .. tensor, .. ",\"kernel\":[[1]]}"u8];

    private static async Task Write<T>(T[] values) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var pipe = PipeWriter.Create(Stream.Null);
        await using var writer = new Utf8JsonWriter(pipe);
        await TensorJsonWriter.WriteAsync<T>(writer, pipe, new TensorShape(Side, Side), values, WireForm.Flat, default);
        await writer.FlushAsync();
        await pipe.FlushAsync();
    }

    private static long Written<T>(T[] values) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var stream = new MemoryStream();
        var pipe = PipeWriter.Create(stream);
        using (var writer = new Utf8JsonWriter(pipe))
        {
            TensorJsonWriter.WriteAsync<T>(writer, pipe, new TensorShape(Side, Side), values, WireForm.Flat, default).AsTask().Wait();
            writer.Flush();
        }
        pipe.FlushAsync().AsTask().Wait();
        return stream.Length;
    }
}

/// <summary>The benchmark tensor: values like -0.123456 from a fixed seed, in both wire forms.</summary>
internal static class JsonData
{
    public static double[] Values(int count)
    {
        var random = new Random(1);
        return [.. Enumerable.Range(0, count).Select(_ => Math.Round(random.NextDouble() * 2 - 1, 6))];
    }

    /// <summary>Values as a computation leaves them, in -1 … 1 with 16 or 17 significant digits (typed values times 3.3 would not do: most products are short decimals again).</summary>
    public static double[] Computed(int count)
    {
        var random = new Random(2);
        return [.. Enumerable.Range(0, count).Select(_ => random.NextDouble() * 2 - 1)];
    }

    public static byte[] Flat(double[] values) =>
        Encoding.UTF8.GetBytes($"{{\"shape\":[1024,1024],\"data\":[{string.Join(",", values.Select(v => v.ToString("R")))}]}}");

    public static byte[] Nested(double[] values, int side) => Encoding.UTF8.GetBytes(
        "[" + string.Join(",", Enumerable.Range(0, side).Select(r => "[" + string.Join(",", values.Skip(r * side).Take(side).Select(v => v.ToString("R"))) + "]")) + "]");
}
