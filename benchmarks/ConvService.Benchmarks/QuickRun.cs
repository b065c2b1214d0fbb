using System.Diagnostics;
using System.Numerics;
using ConvService.Domain.Convolution.Kernels;

namespace ConvService.Benchmarks;

/// <summary>
/// A few-second Stopwatch pass over S1–S4, S6 (3-D) and S7 (1-D) (`-- --quick`): best of several timed runs after a warm-up, for tuning on a
/// shared machine where a full BenchmarkDotNet run would take minutes.
/// </summary>
public static class QuickRun
{
    public static void Print(IEnumerable<string> shapes)
    {
        Console.WriteLine("shape  dtype   forward GFLOP/s   backward GFLOP/s   (backward's two halves, each at forward FLOPs)   shape");
        foreach (var shape in ConvShape.All.Where(s => !shapes.Any() || shapes.Contains(s.Name)))
        {
            Row<float>(shape, "fp32");
            Row<double>(shape, "fp64");
        }
    }

    private static void Row<T>(ConvShape shape, string dtype) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var data = new ConvData<T>(shape);
        var forward = shape.ForwardFlops / Best(() => ConvPasses.Forward(data)) / 1e9;
        var backward = 2 * shape.ForwardFlops / Best(() => ConvPasses.Backward(data)) / 1e9;
        var g = shape.PaddedGeometry;
        var dataRate = shape.ForwardFlops / Best(() => FastConv.BackwardData<T>(g, data.GradOutput.Span, data.Kernel.Span, data.GradPadded.Span, CancellationToken.None)) / 1e9;
        var kernel = shape.ForwardFlops / Best(() => FastConv.BackwardKernel<T>(g, data.Padded.Span, data.GradOutput.Span, data.GradKernel.Span, CancellationToken.None)) / 1e9;
        Console.WriteLine($"{shape.Name,-6} {dtype,-7} {forward,15:F1} {backward,18:F1}   data {dataRate,6:F1} kernel {kernel,6:F1}   {shape.SpatialDims}-D {shape.Description}");
    }

    private static double Best(Action pass)
    {
        for (var i = 0; i < 3; i++)
            pass();
        var best = double.MaxValue;
        var total = Stopwatch.StartNew();
        for (var i = 0; i < 5 || total.Elapsed.TotalSeconds < 1; i++)
        {
            var watch = Stopwatch.StartNew();
            pass();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
        return best;
    }
}
