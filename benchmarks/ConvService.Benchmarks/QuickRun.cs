using System.Diagnostics;
using System.Numerics;
using ConvService.Domain.Convolution.Kernels;

namespace ConvService.Benchmarks;

/// <summary>
/// A minute-and-a-half Stopwatch pass over S1–S7 (S6 is 3-D, S7 1-D) (`-- --quick [S1 S2 …]`): the median of the timed runs after a warm-up,
/// as the libtorch peer reports, for tuning on a shared machine where a full BenchmarkDotNet run would take minutes.
/// The load average is printed before and after, and `--peak` adds the FMA ceiling measured in the same sitting.
/// </summary>
public static class QuickRun
{
    public static void Print(IReadOnlyList<string> args)
    {
        var shapes = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        Console.WriteLine($"load average {LoadAverage()}");
        if (args.Contains("--peak"))
            Console.WriteLine($"FMA peak, all cores: {FmaPeak.Measure<float>():F1} GFLOP/s float32, {FmaPeak.Measure<double>():F1} float64");
        Console.WriteLine("shape  dtype   forward GFLOP/s   backward GFLOP/s   (backward's two halves, each at forward FLOPs)   shape");
        foreach (var shape in ConvShape.All.Where(s => shapes.Length == 0 || shapes.Contains(s.Name)))
        {
            Row<float>(shape, "fp32");
            Row<double>(shape, "fp64");
        }
        Console.WriteLine($"load average {LoadAverage()}");
    }

    private static void Row<T>(ConvShape shape, string dtype) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var data = new ConvData<T>(shape);
        var forward = shape.ForwardFlops / Median(() => ConvPasses.Forward(data)) / 1e9;
        var backward = 2 * shape.ForwardFlops / Median(() => ConvPasses.Backward(data)) / 1e9;
        var g = shape.PaddedGeometry;
        var dataRate = shape.ForwardFlops / Median(() => FastConv.BackwardData<T>(g, data.GradOutput.Span, data.Kernel.Span, data.GradPadded.Span, CancellationToken.None)) / 1e9;
        var kernel = shape.ForwardFlops / Median(() => FastConv.BackwardKernel<T>(g, data.Padded.Span, data.GradOutput.Span, data.GradKernel.Span, CancellationToken.None)) / 1e9;
        Console.WriteLine($"{shape.Name,-6} {dtype,-7} {forward,15:F1} {backward,18:F1}   data {dataRate,6:F1} kernel {kernel,6:F1}   {shape.SpatialDims}-D {shape.Description}");
    }

    /// <summary>Seconds per pass: the median of at least 5 runs and 1 s, after a warm-up (<see cref="WarmUp"/>).</summary>
    private static double Median(Action pass)
    {
        WarmUp(pass);
        var runs = new List<double>();
        var total = Stopwatch.StartNew();
        while (runs.Count < 5 || total.Elapsed.TotalSeconds < 1)
        {
            var watch = Stopwatch.StartNew();
            pass();
            runs.Add(watch.Elapsed.TotalSeconds);
        }
        runs.Sort();
        return runs[runs.Count / 2];
    }

    /// <summary>
    /// At least 3 runs and 0.5 s: the passes' outer methods start as unoptimised code and are recompiled after 30 calls
    /// and a 100 ms delay, on a background thread. Three runs of a short pass left S4's forward (0.5 ms) timed mostly
    /// before that (the cap of 200 timed runs made its "1 s" 0.1–0.3 s): 15–30 GFLOP/s in `--quick` on Zen 3 against
    /// 74 (median) in a 1 s `--pass`. libtorch, compiled ahead of time, needs no such wait.
    /// </summary>
    public static void WarmUp(Action pass)
    {
        var total = Stopwatch.StartNew();
        for (var i = 0; i < 3 || total.Elapsed.TotalSeconds < 0.5; i++)
            pass();
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
