using System.Diagnostics;
using ConvService.Domain.Geometry;
using ConvService.Domain.Pooling;
using ConvService.Domain.Tensors;

namespace ConvService.Benchmarks;

/// <summary>
/// A Stopwatch pass over every pooling mode (`-- --quick-pool`): forward and backward on 8×64 planes of 112×112 (2-D),
/// 12544 (1-D) and 16×28×28 (3-D), float32, median milliseconds of at least 7 timed runs after a warm-up.
/// </summary>
public static class QuickPool
{
    private static readonly (PoolMode Mode, string Name, Func<int, PoolOptions> Options)[] Cases =
    [
        (PoolMode.Max, "max k3 s2 p1", d => new PoolOptions(KernelSize: Spatial.Repeat(3, d), Stride: Spatial.Repeat(2, d), Padding: Spatial.Repeat(1, d), SpatialDims: d)),
        (PoolMode.Max, "max +indices", d => new PoolOptions(KernelSize: Spatial.Repeat(3, d), Stride: Spatial.Repeat(2, d), Padding: Spatial.Repeat(1, d), ReturnIndices: true, SpatialDims: d)),
        (PoolMode.Avg, "avg k3 s2 p1", d => new PoolOptions(KernelSize: Spatial.Repeat(3, d), Stride: Spatial.Repeat(2, d), Padding: Spatial.Repeat(1, d), SpatialDims: d)),
        (PoolMode.Lp, "lp p2 k3 s2", d => new PoolOptions(KernelSize: Spatial.Repeat(3, d), Stride: Spatial.Repeat(2, d), NormType: 2, SpatialDims: d)),
        (PoolMode.FractionalMax, "fractional k3 → ½", d => new PoolOptions(KernelSize: Spatial.Repeat(3, d), OutputRatio: new PoolRatio([.. Enumerable.Repeat(0.5, d)]), Seed: 1, SpatialDims: d)),
        (PoolMode.AdaptiveMax, "adaptive-max → ½", d => new PoolOptions(OutputSize: Half(d), SpatialDims: d)),
        (PoolMode.AdaptiveAvg, "adaptive-avg → ½", d => new PoolOptions(OutputSize: Half(d), SpatialDims: d)),
    ];

    public static void Print()
    {
        Console.WriteLine("mode                 d   forward ms   backward ms   (8×64 planes of 12544 float32, medians)");
        foreach (var dims in new[] { 2, 1, 3 })
        {
            using var input = Input(dims);
            foreach (var (mode, name, options) in Cases)
            {
                if (mode == PoolMode.FractionalMax && dims == 1)
                    continue;
                var o = options(dims);
                var forward = Median(() => Dispose(Pool.Forward(mode, input, o)));
                var backward = Median(() => Pool.Backward(mode, input, null, o).Dispose());
                Console.WriteLine($"{name,-20} {dims}   {forward,10:F2}   {backward,11:F2}");
            }
        }
    }

    private static PoolOutputSize Half(int dims) => dims switch { 1 => new(6272), 2 => new(56, 56), _ => new(8, 14, 14) };

    private static Tensor<float> Input(int dims)
    {
        var shape = dims switch { 1 => new TensorShape(8, 64, 12544), 2 => new TensorShape(8, 64, 112, 112), _ => new TensorShape(8, 64, 16, 28, 28) };
        var input = Tensor<float>.Uninitialized(shape);
        var random = new Random(1);
        foreach (ref var value in input.Span)
            value = (float)(random.NextDouble() * 2 - 1);
        return input;
    }

    private static void Dispose(PoolResult<float> result)
    {
        result.Output.Dispose();
        result.Samples?.Dispose();
    }

    private static double Median(Action pass)
    {
        for (var i = 0; i < 3; i++)
            pass();
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < 7 || total.Elapsed.TotalSeconds < 1)
        {
            var watch = Stopwatch.StartNew();
            pass();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
