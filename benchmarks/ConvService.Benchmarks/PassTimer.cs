using System.Diagnostics;
using System.Numerics;
using ConvService.Domain.Convolution;
using ConvService.Domain.Convolution.Kernels;

namespace ConvService.Benchmarks;

/// <summary>
/// One pass of one shape, timed for a while (`-- --pass S3 data [seconds] [fp64]`): the median of its runs in ms, for
/// comparing two builds run by turns (scripts/ab-pass.sh). Passes: forward and backward through the public operators,
/// data and kernel (the two gradients' kernels over the padded input), fold (the padded gradient back to the input's).
/// It also prints the fastest run: where other tenants take the cores at random (a shared VM), interference only ever
/// slows a run, so the fastest of many is the steadier figure for comparing two builds of a compute-bound kernel.
/// </summary>
public static class PassTimer
{
    public static void Print(IReadOnlyList<string> args)
    {
        var shape = ConvShape.All.Single(s => s.Name == args[0]);
        var pass = args[1];
        var seconds = args.Count > 2 && double.TryParse(args[2], System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 2;
        var (median, fastest, runs) = args.Contains("fp64") ? Time<double>(shape, pass, seconds) : Time<float>(shape, pass, seconds);
        Console.WriteLine($"{shape.Name} {pass} {(args.Contains("fp64") ? "fp64" : "fp32")} median {median * 1e3:F3} ms over {runs} runs, fastest {fastest * 1e3:F3} ms");
    }

    private static (double Median, double Fastest, int Runs) Time<T>(ConvShape shape, string pass, double seconds) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var data = new ConvData<T>(shape);
        var g = shape.PaddedGeometry;
        Action run = pass switch
        {
            "forward" => () => ConvPasses.Forward(data),
            "backward" => () => ConvPasses.Backward(data),
            "data" => () => FastConv.BackwardData<T>(g, data.GradOutput.Span, data.Kernel.Span, data.GradPadded.Span, CancellationToken.None),
            "kernel" => () => FastConv.BackwardKernel<T>(g, data.Padded.Span, data.GradOutput.Span, data.GradKernel.Span, CancellationToken.None),
            "fold" => () => Padding.Fold<T>(data.GradPadded.Span, shape.N * shape.C, shape.Geometry.Axes.AsSpan(), shape.Geometry.PaddingMode, data.GradInput.Span),
            "pad" => () => Padding.Pad<T>(data.Input.Span, shape.N * shape.C, shape.Geometry.Axes.AsSpan(), shape.Geometry.PaddingMode, data.Padded.Span),
            _ => throw new ArgumentException($"unknown pass {pass}: forward, backward, data, kernel, fold or pad"),
        };
        QuickRun.WarmUp(run);
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < 5 || total.Elapsed.TotalSeconds < seconds)
        {
            var watch = Stopwatch.StartNew();
            run();
            times.Add(watch.Elapsed.TotalSeconds);
        }
        times.Sort();
        return (times[times.Count / 2], times[0], times.Count);
    }
}
