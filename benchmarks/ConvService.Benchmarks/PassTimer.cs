using System.Diagnostics;
using System.Numerics;
using System.Runtime.Intrinsics;
using ConvService.Domain.Convolution;
using ConvService.Domain.Convolution.Kernels;
using ConvService.Domain.Geometry;

namespace ConvService.Benchmarks;

/// <summary>
/// One pass of one shape, timed for a while (`-- --pass S3 data [seconds] [fp64]`): the median of its runs in ms, for
/// comparing two builds run by turns (scripts/ab-pass.sh). Passes: forward and backward through the public operators,
/// data and kernel (the two gradients' kernels over the padded input), input (the input gradient as the backward pass
/// computes it, from the unpadded input where it can), fold (the padded gradient back to the input's), split (a
/// strided shape's input split by stride phase, the forward pass's first step: S5).
/// It also prints the fastest run: where other tenants take the cores at random (a shared VM), interference only ever
/// slows a run, so the fastest of many is the steadier figure for comparing two builds of a compute-bound kernel.
/// With `alternate` (`-- --pass S3 forward 8 alternate`, any pass), the pass instead runs call by call
/// with the compact layout on and off (<see cref="CompactPadding.Enabled"/>), or with `winograd` the Winograd forward pass
/// on and off (<see cref="Winograd.Enabled"/>), in one process: the host's drift and the
/// JIT's choices fall on both alike, which two processes run by turns could not promise on a busy machine. Where the
/// pass never takes the layout (3-D, 1-D, a float32 S3 input gradient by col2im) both halves are the same code: a control.
/// </summary>
public static class PassTimer
{
    public static void Print(IReadOnlyList<string> args)
    {
        var shape = ConvShape.Find(args[0]);
        var pass = args[1];
        var seconds = args.Count > 2 && double.TryParse(args[2], System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 2;
        if (args.Contains("alternate") || args.Contains("winograd"))
        {
            var (name, other, set) = args.Contains("winograd")
                ? ("winograd", "direct", (Action<bool>)(on => Winograd.Enabled = on))
                : ("compact", "padded", on => CompactPadding.Enabled = on);
            if (args.Contains("fp64"))
                Alternate<double>(shape, pass, seconds, name, other, set);
            else
                Alternate<float>(shape, pass, seconds, name, other, set);
            return;
        }
        var (median, fastest, runs) = args.Contains("fp64") ? Time<double>(shape, pass, seconds) : Time<float>(shape, pass, seconds);
        Console.WriteLine($"{shape.Name} {pass} {(args.Contains("fp64") ? "fp64" : "fp32")} median {median * 1e3:F3} ms over {runs} runs, fastest {fastest * 1e3:F3} ms");
    }

    /// <summary>The pass with a switch (<paramref name="set"/>) on and off, call by call; each one's 10th percentile, median and fastest.</summary>
    private static void Alternate<T>(ConvShape shape, string pass, double seconds, string name, string other, Action<bool> set) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var data = new ConvData<T>(shape);
        var run = Pass(shape, data, pass);
        var times = new[] { new List<double>(), new List<double>() };
        try
        {
            for (var i = 0; i < 6; i++)
            {
                set(i % 2 == 0);
                run();
            }
            var total = Stopwatch.StartNew();
            for (var i = 0; times[1].Count < 5 || total.Elapsed.TotalSeconds < seconds; i++)
            {
                set(i % 2 == 0);
                var watch = Stopwatch.StartNew();
                run();
                times[i % 2].Add(watch.Elapsed.TotalSeconds);
            }
        }
        finally
        {
            set(true);
        }
        foreach (var list in times)
            list.Sort();
        double At(int layout, double quantile) => times[layout][(int)(quantile * (times[layout].Count - 1))] * 1e3;
        Console.WriteLine($"{shape.Name} {pass} {(typeof(T) == typeof(double) ? "fp64" : "fp32")}, {times[0].Count} calls each: {name} p10 {At(0, 0.1):F3} median {At(0, 0.5):F3} fastest {At(0, 0):F3} ms; {other} p10 {At(1, 0.1):F3} median {At(1, 0.5):F3} fastest {At(1, 0):F3} ms; {other}/{name} {At(1, 0.1) / At(0, 0.1):F3}, {At(1, 0.5) / At(0, 0.5):F3}, {At(1, 0) / At(0, 0):F3}");
    }

    private static (double Median, double Fastest, int Runs) Time<T>(ConvShape shape, string pass, double seconds) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var data = new ConvData<T>(shape);
        var run = Pass(shape, data, pass);
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

    /// <summary>The unpadded input split by stride phase, as a strided forward pass lays it out first (<see cref="StridePhases"/>).</summary>
    private static Action Split<T>(ConvData<T> data) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = data.Geometry;
        if (!StridePhases.Helps(g) || g.PaddingMode != PaddingMode.Zeros)
            throw new ArgumentException("split: a zero-padded strided shape (S5)");
        var split = new T[StridePhases.Length(g)];
        return Vector512.IsHardwareAccelerated
            ? () => StridePhases.SplitZeroPadded<T, Simd512<T>>(data.Input.Span, g, split, byBands: true)
            : () => StridePhases.SplitZeroPadded<T, Simd256<T>>(data.Input.Span, g, split, byBands: true);
    }

    /// <summary>One run of <paramref name="pass"/> over <paramref name="data"/>.</summary>
    private static Action Pass<T>(ConvShape shape, ConvData<T> data, string pass) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = shape.PaddedGeometry;
        return pass switch
        {
            "forward" => () => ConvPasses.Forward(data),
            "backward" => () => ConvPasses.Backward(data),
            "data" => () => FastConv.BackwardData<T>(g, data.GradOutput.Span, data.Kernel.Span, data.GradPadded.Span, CancellationToken.None),
            "kernel" => () => FastConv.BackwardKernel<T>(g, data.Padded.Span, data.GradOutput.Span, data.GradKernel.Span, CancellationToken.None),
            "input" => () => ConvKernels.BackwardInput<T>(data.Geometry, data.GradOutput.Span, data.Kernel.Span, data.GradInput.Span, CancellationToken.None),
            "fold" => () => Padding.Fold<T>(data.GradPadded.Span, shape.N * shape.C, shape.Geometry.Axes.AsSpan(), shape.Geometry.PaddingMode, data.GradInput.Span),
            "pad" => () => Padding.Pad<T>(data.Input.Span, shape.N * shape.C, shape.Geometry.Axes.AsSpan(), shape.Geometry.PaddingMode, data.Padded.Span),
            "split" => Split(data),
            _ => throw new ArgumentException($"unknown pass {pass}: forward, backward, data, input, kernel, fold, pad or split"),
        };
    }
}
