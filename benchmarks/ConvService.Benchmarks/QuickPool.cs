using System.Diagnostics;
using ConvService.Domain.Geometry;
using ConvService.Domain.Pooling;
using ConvService.Domain.Tensors;

namespace ConvService.Benchmarks;

/// <summary>
/// A Stopwatch pass over every pooling mode (`-- --quick-pool [FILTER]`): forward and backward on 8×64 planes of
/// 112×112 (2-D), 12544 (1-D) and 16×28×28 (3-D), float32, median milliseconds of at least 7 timed runs after a
/// warm-up, and the mean CPU milliseconds per run (all threads: steadier than wall time on a busy shared machine).
/// FILTER keeps the rows whose "mode d" text contains it ("max k3 s2 p1 2").
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

    public static void Print(string filter = "")
    {
        Console.WriteLine("mode                 d   forward ms   backward ms   forward cpu   backward cpu   (8×64 planes of 12544 float32; wall medians, CPU means)");
        foreach (var dims in new[] { 2, 1, 3 }.Where(d => Cases.Any(c => $"{c.Name} {d}".Contains(filter, StringComparison.Ordinal))))
        {
            using var input = Input(dims);
            foreach (var (mode, name, options) in Cases)
            {
                if ((mode == PoolMode.FractionalMax && dims == 1) || !$"{name} {dims}".Contains(filter, StringComparison.Ordinal))
                    continue;
                var o = options(dims);
                var forward = Time(() => Dispose(Pool.Forward(mode, input, o)));
                var backward = Time(() => Pool.Backward(mode, input, null, o).Dispose());
                Console.WriteLine($"{name,-20} {dims}   {forward.Wall,10:F2}   {backward.Wall,11:F2}   {forward.Cpu,11:F2}   {backward.Cpu,12:F2}");
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

    private static (double Wall, double Cpu) Time(Action pass)
    {
        for (var i = 0; i < 3; i++)
            pass();
        var times = new List<double>();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var total = Stopwatch.StartNew();
        while (times.Count < 7 || total.Elapsed.TotalSeconds < 1)
        {
            var watch = Stopwatch.StartNew();
            pass();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        process.Refresh();
        var cpuPerRun = (process.TotalProcessorTime - cpu).TotalMilliseconds / times.Count;
        times.Sort();
        return (times[times.Count / 2], cpuPerRun);
    }
}
