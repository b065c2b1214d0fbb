using System.Numerics;
using BenchmarkDotNet.Attributes;

namespace ConvService.Benchmarks;

/// <summary>Convolution forward and backward (both gradients) on every <see cref="ConvShape"/>; <see cref="GflopsColumn"/> turns the mean into GFLOP/s.</summary>
[GenericTypeArguments(typeof(float))]
[GenericTypeArguments(typeof(double))]
public class ConvBenchmarks<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private ConvData<T>? _data;

    [ParamsSource(nameof(Shapes))]
    public ConvShape Shape { get; set; } = ConvShape.All[0];

    public static IEnumerable<ConvShape> Shapes => ConvShape.All;

    [GlobalSetup]
    public void Setup() => _data = new ConvData<T>(Shape);

    [GlobalCleanup]
    public void Cleanup() => _data?.Dispose();

    [Benchmark]
    public void Forward() => ConvPasses.Forward(_data!);

    [Benchmark]
    public void Backward() => ConvPasses.Backward(_data!);
}
