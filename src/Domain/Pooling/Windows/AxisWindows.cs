using System.Numerics;
using ConvService.Domain.Geometry;

namespace ConvService.Domain.Pooling.Windows;

/// <summary>
/// The windows of one spatial axis: window <c>o</c> reads input positions <c>Begin[o], Begin[o] + Step, …</c> below
/// <c>End[o]</c> (already clipped to the input), and divides by <c>Extent[o]</c> along this axis (mean modes).
/// <c>Start[o]</c> is the window's first position before clipping (negative in the begin padding) and <c>Kernel</c>
/// the number of positions every window spans before clipping when they all span the same, else 0.
/// </summary>
internal sealed class AxisWindows
{
    private AxisWindows(int count, int step)
    {
        Begin = new int[count];
        End = new int[count];
        Extent = new int[count];
        Start = new int[count];
        Step = step;
    }

    public int[] Begin { get; }

    public int[] End { get; }

    public int[] Extent { get; }

    public int[] Start { get; }

    public int Step { get; }

    public int Kernel { get; private set; }

    public int Count => Begin.Length;

    /// <summary>
    /// Sliding windows as PyTorch's pooling kernels walk them: start <c>o·stride − pad</c>, the first tap moved past the
    /// begin padding by whole dilations, the end clipped to the input. The extent is the window clipped to the padded
    /// input when <paramref name="countIncludePad"/> (avg_pool's divisor at the borders), else to the input.
    /// </summary>
    public static AxisWindows Sliding(WindowAxis axis, bool countIncludePad)
    {
        var windows = new AxisWindows(axis.Output, axis.Dilation) { Kernel = axis.Dilation == 1 ? axis.Kernel : 0 };
        for (var o = 0; o < axis.Output; o++)
        {
            var start = (long)o * axis.Stride - axis.PadBegin;
            var first = start >= 0 ? start : start + (-start + axis.Dilation - 1) / axis.Dilation * axis.Dilation;
            var end = Math.Min(start + axis.DilatedKernel, axis.Input);
            windows.Start[o] = (int)start;
            windows.Begin[o] = (int)Math.Min(first, axis.Input);
            windows.End[o] = (int)Math.Max(end, windows.Begin[o]);
            var padded = Math.Min(start + axis.DilatedKernel, (long)axis.Input + axis.PadEnd) - start;
            windows.Extent[o] = countIncludePad ? (int)padded : windows.End[o] - windows.Begin[o];
        }
        return windows;
    }

    /// <summary>Adaptive windows: <c>start = floor(o·I/O)</c>, <c>end = ceil((o + 1)·I/O)</c>.</summary>
    public static AxisWindows Adaptive(int input, int output)
    {
        var windows = new AxisWindows(output, 1);
        for (var o = 0; o < output; o++)
        {
            windows.Begin[o] = (int)((long)o * input / output);
            windows.End[o] = (int)(((long)(o + 1) * input + output - 1) / output);
            windows.Extent[o] = windows.End[o] - windows.Begin[o];
            windows.Start[o] = windows.Begin[o];
        }
        windows.Kernel = output > 0 && !windows.Extent.AsSpan().ContainsAnyExcept(windows.Extent[0]) ? windows.Extent[0] : 0;
        return windows;
    }

    /// <summary>Empty fractional windows of <paramref name="output"/> places, filled per plane by <see cref="PlaceFractional{T}"/>.</summary>
    public static AxisWindows Fractional(int output) => new(output, 1);

    /// <summary>
    /// PyTorch's <c>generate_intervals</c> in the precision <typeparamref name="T"/>: <c>alpha = (I − K) / (O − 1)</c>,
    /// <c>start_o = (int)((o + u)·alpha) − (int)(u·alpha)</c> for o &lt; O − 1, and the last window at <c>I − K</c>.
    /// </summary>
    public void PlaceFractional<T>(T sample, int input, int kernel) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = Count;
        if (output > 1)
        {
            var alpha = T.CreateTruncating(input - kernel) / T.CreateTruncating(output - 1);
            var offset = int.CreateTruncating(sample * alpha);
            for (var o = 0; o < output - 1; o++)
                Begin[o] = int.CreateTruncating((T.CreateTruncating(o) + sample) * alpha) - offset;
        }
        Begin[output - 1] = input - kernel;
        for (var o = 0; o < output; o++)
        {
            End[o] = Begin[o] + kernel;
            Extent[o] = kernel;
            Start[o] = Begin[o];
        }
        Kernel = kernel;
    }
}
