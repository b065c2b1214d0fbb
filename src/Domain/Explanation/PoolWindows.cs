using System.Collections.Immutable;
using System.Numerics;
using ConvService.Domain.Geometry;
using ConvService.Domain.Pooling;
using ConvService.Domain.Pooling.Windows;

namespace ConvService.Domain.Explanation;

/// <summary>Where one cell of a pooling window lies.</summary>
public enum PoolCellKind
{
    /// <summary>Inside the input: the cell is read.</summary>
    Inside,

    /// <summary>In the padding: −∞ for max, 0 for avg (counted in the divisor when countIncludePad).</summary>
    Padding,

    /// <summary>Past the padded input: a ceil-mode window cut at the edge; never read, never counted.</summary>
    PastEdge,
}

/// <summary>
/// The window of one output cell along one axis, as the pooling kernels walk it (one entry of the axis's windows).
/// Taps sit at <c>Start + t·Step</c> for t in [0, <see cref="Taps"/>); those in [<see cref="Begin"/>, <see cref="End"/>)
/// are inside the input and read.
/// </summary>
/// <param name="Output">The window's index along the axis.</param>
/// <param name="Start">The first tap's position before clipping (negative in the begin padding).</param>
/// <param name="Begin">The first position read.</param>
/// <param name="End">One past the last position read.</param>
/// <param name="Step">The distance between taps (the dilation; 1 for adaptive and fractional windows).</param>
/// <param name="Taps">The window's taps along the axis before clipping.</param>
/// <param name="Extent">The axis's factor of the divisor (mean modes): the taps within the padded input with countIncludePad, else those inside.</param>
/// <param name="Axis">The axis's geometry (input size, kernel, stride, padding, output size).</param>
public readonly record struct PoolAxisWindow(int Output, int Start, int Begin, int End, int Step, int Taps, int Extent, WindowAxis Axis)
{
    /// <summary>The taps' positions in order and where each lies.</summary>
    public IEnumerable<(int Position, PoolCellKind Kind)> Positions()
    {
        for (var t = 0; t < Taps; t++)
        {
            var position = Start + t * Step;
            var kind = position >= 0 && position < Axis.Input ? PoolCellKind.Inside
                : position >= -Axis.PadBegin && position < Axis.Input + Axis.PadEnd ? PoolCellKind.Padding
                : PoolCellKind.PastEdge;
            yield return (position, kind);
        }
    }

    /// <summary>How many taps lie inside the input.</summary>
    public int Inside => Math.Max(0, (End - Begin + Step - 1) / Step);
}

/// <summary>The window of one pooling output cell: per axis its bounds, and its cells in row-major window order.</summary>
/// <param name="Mode">The pooling mode.</param>
/// <param name="Output">The output cell (batched coordinates).</param>
/// <param name="Axes">One per spatial axis, outermost first.</param>
/// <param name="Samples">fractional-max: the sample that placed each axis's windows, in axis order; else empty.</param>
public sealed record PoolWindow(PoolMode Mode, PlaneCell Output, ImmutableArray<PoolAxisWindow> Axes, ImmutableArray<double> Samples)
{
    /// <summary>
    /// Every tap of the window in row-major window order (the order the kernels read and break ties in): its position in
    /// the input's coordinates and where it lies (past the edge on any axis, else in the padding on any axis, else inside).
    /// </summary>
    public IEnumerable<(ImmutableArray<int> Position, PoolCellKind Kind)> Cells()
    {
        var positions = Axes.Select(a => a.Positions().ToArray()).ToArray();
        foreach (var pick in PlaneCell.Indices([.. positions.Select(p => p.Length)]))
        {
            var cells = pick.Select((t, a) => positions[a][t]).ToArray();
            yield return ([.. cells.Select(c => c.Position)], cells.Max(c => c.Kind));
        }
    }

    /// <summary>Taps of the window before clipping (the cells <see cref="Cells"/> lists).</summary>
    public long Size => Axes.Aggregate(1L, (size, a) => size * a.Taps);

    /// <summary>Cells inside the input.</summary>
    public long InsideCount => Axes.Aggregate(1L, (size, a) => size * a.Inside);

    /// <summary>The divisor of the mean modes without divisorOverride: the product of the axes' extents.</summary>
    public long Extent => Axes.Aggregate(1L, (size, a) => size * a.Extent);

    /// <summary>Whether the window reads at least one input cell.</summary>
    public bool HoldsCells => Axes.All(a => a.Begin < a.End);
}

/// <summary>
/// The windows of a pooling call, taken from the window source its kernels use (<see cref="WindowSource"/>: sliding,
/// adaptive, or fractional placed by the plane's samples): one output cell's window, and the output cells whose
/// windows hold an input cell.
/// </summary>
public static class PoolWindows
{
    /// <summary>The window of output cell <paramref name="output"/> (batched coordinates).</summary>
    /// <param name="geometry">The call's resolved geometry.</param>
    /// <param name="samples">fractional-max: the d samples of the cell's plane, in PyTorch's order; else empty.</param>
    /// <param name="output">The output cell.</param>
    /// <exception cref="ArgumentOutOfRangeException">The cell lies outside the output.</exception>
    public static PoolWindow Of<T>(PoolGeometry geometry, ReadOnlySpan<T> samples, PlaneCell output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!output.IsInside(geometry.Windows.OutputSizes.Values.AsSpan()) || (uint)output.Channel >= (uint)geometry.Windows.Input.Channels || (uint)output.Batch >= (uint)geometry.Windows.Input.Batch)
            throw new ArgumentOutOfRangeException(nameof(output), $"cell {output} lies outside the output {geometry.OutputShape}");
        var plane = PlaneOf(geometry, samples);
        return new PoolWindow(geometry.Mode, output, AxesOf(geometry, plane, output.Spatial.AsSpan()), SamplesByAxis(geometry, samples));
    }

    /// <summary>
    /// The windows that hold input cell <paramref name="input"/> (batched coordinates) among the cells they read, output
    /// cells in row-major order: the cells whose gradients can reach it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The cell lies outside the input.</exception>
    public static IReadOnlyList<PoolWindow> Holding<T>(PoolGeometry geometry, ReadOnlySpan<T> samples, PlaneCell input) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sizes = geometry.Windows.Input.Sizes;
        if (!input.IsInside(sizes) || (uint)input.Channel >= (uint)geometry.Windows.Input.Channels || (uint)input.Batch >= (uint)geometry.Windows.Input.Batch)
            throw new ArgumentOutOfRangeException(nameof(input), $"cell {input} lies outside the input {geometry.InputShape}");
        var plane = PlaneOf(geometry, samples);
        var holders = new int[geometry.SpatialDims][];
        for (var a = 0; a < holders.Length; a++)
        {
            var (axis, x) = (plane.Axis(a), input.Spatial[a]);
            holders[a] = [.. Enumerable.Range(0, axis.Count).Where(o => axis.Begin[o] <= x && x < axis.End[o] && (x - axis.Begin[o]) % axis.Step == 0)];
        }
        var sampled = SamplesByAxis(geometry, samples);
        var windows = new List<PoolWindow>();
        foreach (var pick in PlaneCell.Indices([.. holders.Select(h => h.Length)]))
        {
            ImmutableArray<int> output = [.. pick.Select((k, a) => holders[a][k])];
            windows.Add(new PoolWindow(geometry.Mode, new PlaneCell(input.Batch, input.Channel, output), AxesOf(geometry, plane, output.AsSpan()), sampled));
        }
        return windows;
    }

    /// <summary>
    /// The most taps one window has and the most windows that hold one input cell, in the product over the axes: what
    /// explaining an output cell, and an input cell's gradient, may cost. Exact for sliding and adaptive windows; for
    /// fractional ones (placed per plane) the kernel size and min(kernel, output) per axis bound them.
    /// </summary>
    public static (long Taps, long Holders) MostPerCell(PoolGeometry geometry)
    {
        var (taps, holders) = (1L, 1L);
        for (var a = 0; a < geometry.SpatialDims; a++)
        {
            var axis = geometry.Axes[a];
            if (geometry.Mode == PoolMode.FractionalMax)
            {
                (taps, holders) = (taps * axis.Kernel, holders * Math.Min(axis.Kernel, axis.Output));
                continue;
            }
            var windows = geometry.Mode.IsSliding() ? AxisWindows.Sliding(axis, geometry.CountIncludePad) : AxisWindows.Adaptive(axis.Input, axis.Output);
            var held = new int[axis.Input + 1];
            var most = 0;
            for (var o = 0; o < windows.Count; o++)
            {
                most = Math.Max(most, geometry.Mode.IsSliding() ? axis.Kernel : windows.End[o] - windows.Begin[o]);
                for (var x = windows.Begin[o]; x < windows.End[o]; x += windows.Step)
                    held[x]++;
            }
            (taps, holders) = (taps * most, holders * Math.Max(1, held.Max()));
        }
        return (taps, holders);
    }

    /// <summary>The plane's windows as the kernels build them, for a one-plane part of the call.</summary>
    private static PlaneWindows PlaneOf<T>(PoolGeometry geometry, ReadOnlySpan<T> samples) where T : unmanaged, IFloatingPointIeee754<T> =>
        WindowSource.Create(geometry with { Planes = 1 }, samples).Of(0);

    private static ImmutableArray<PoolAxisWindow> AxesOf(PoolGeometry geometry, PlaneWindows plane, ReadOnlySpan<int> output)
    {
        var axes = ImmutableArray.CreateBuilder<PoolAxisWindow>(geometry.SpatialDims);
        for (var a = 0; a < geometry.SpatialDims; a++)
        {
            var (windows, o, axis) = (plane.Axis(a), output[a], geometry.Axes[a]);
            var taps = geometry.Mode.IsSliding() ? axis.Kernel : windows.End[o] - windows.Begin[o];
            axes.Add(new PoolAxisWindow(o, windows.Start[o], windows.Begin[o], windows.End[o], windows.Step, taps, windows.Extent[o], axis));
        }
        return axes.MoveToImmutable();
    }

    private static ImmutableArray<double> SamplesByAxis<T>(PoolGeometry geometry, ReadOnlySpan<T> samples) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (geometry.Mode != PoolMode.FractionalMax)
            return [];
        var byAxis = new double[geometry.SpatialDims];
        for (var k = 0; k < byAxis.Length; k++)
            byAxis[FractionalSamples.AxisOf(byAxis.Length, k)] = double.CreateTruncating(samples[k]);
        return [.. byAxis];
    }
}
