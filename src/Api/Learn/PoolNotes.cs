using System.Numerics;
using ConvService.Api.Contracts;
using ConvService.Api.Contracts.Learn;
using ConvService.Api.Plans.Learn;
using ConvService.Domain.Explanation;
using ConvService.Domain.Geometry;
using ConvService.Domain.Pooling;

namespace ConvService.Api.Learn;

/// <summary>A pooling cell's rule, bounds and notes, in a teacher's words and with the request's numbers.</summary>
internal static class PoolNotes
{
    /// <summary>"max(108, 85, 110, 74) = 110"; "(109 + 92 + 108 + 85) / 4 = 98.5"; "(3^2 + 4^2)^(1/2) = 5".</summary>
    public static string Text<T>(PoolExplainPlan plan, PoolExplanation<T> e) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = plan.Geometry;
        var value = Number(e.Value);
        switch (g.Mode.Reduction())
        {
            case PoolReduction.Max:
                var shown = e.Cells.Where(c => c.Kind != PoolCellKind.PastEdge).ToList();
                return $"max({LearnText.Join(shown.Count, i => Cell(shown[i]), ", ")}) = {value}";
            case PoolReduction.Mean:
                var counted = e.Cells.Where(c => c.Kind == PoolCellKind.Inside || c.Kind == PoolCellKind.Padding && g.CountIncludePad && g.DivisorOverride is null).ToList();
                if (!e.Window.HoldsCells)
                    return $"no cell of the window lies inside the input: {value}";
                return $"({LearnText.Join(counted.Count, i => Cell(counted[i]), " + ")}) / {e.Divisor} = {value}";
            default:
                var p = LearnText.Number(g.NormType);
                var inside = e.Cells.Where(c => c.Kind == PoolCellKind.Inside).ToList();
                var powers = LearnText.Join(inside.Count, i => $"{LearnText.Factor(LearnText.Widen(inside[i].Value))}^{p}", " + ");
                return e.Divisor == g.KernelVolume
                    ? $"({powers})^(1/{p}) = {value}"
                    : $"(({powers}) / {e.Divisor} · {g.KernelVolume})^(1/{p}) = {value}";
        }
    }

    public static string Rule(PoolExplainPlan plan) => plan.Geometry.Mode switch
    {
        PoolMode.Max or PoolMode.AdaptiveMax or PoolMode.FractionalMax =>
            "the largest value in the window; a tie goes to the first maximal cell in row-major window order, and a NaN wins, as in PyTorch",
        PoolMode.Lp => $"(Σ x^p)^(1/p) with p = {LearnText.Number(plan.Geometry.NormType)}, computed as PyTorch's lp_pool: (the mean of x^p over the cells inside · the kernel's {plan.Geometry.KernelVolume} cells)^(1/p)",
        _ => "the mean: the sum of the cells read over the divisor",
    };

    /// <summary>Why the divisor of a mean window is what it is.</summary>
    public static string DivisorReason(PoolExplainPlan plan, PoolWindow w)
    {
        var g = plan.Geometry;
        var cells = w.Cells().ToList();
        var (padding, past) = (cells.Count(c => c.Kind == PoolCellKind.Padding), cells.Count(c => c.Kind == PoolCellKind.PastEdge));
        var sizes = string.Join('×', w.Axes.Select(a => a.Taps));
        if (g.DivisorOverride is { } d)
            return $"divisorOverride = {d} replaces the window's size ({w.Extent} cells)";
        if (g.Mode.IsAdaptive())
            return $"the adaptive window holds {sizes} = {w.Extent} cells";
        if (padding == 0 && past == 0)
            return $"the window's {sizes} = {w.Extent} cells";
        if (!g.CountIncludePad)
            return $"countIncludePad is false: only the {w.Extent} cells inside the input count, not the {padding + past} outside it";
        if (past > 0)
            return $"ceilMode cut the window at the edge: of its {sizes} = {w.Size} cells, {past} lie past the padded input and never count; countIncludePad counts the other {w.Extent}{(padding > 0 ? $", {padding} of them padding" : "")}";
        return $"countIncludePad is true: all {sizes} = {w.Extent} cells count, the {padding} padding cells (which add 0) included";
    }

    /// <summary>Per axis, where the window lies, and the formula of adaptive and fractional windows with their numbers.</summary>
    public static IReadOnlyList<string> Bounds(PoolExplainPlan plan, PoolWindow w) => [.. w.Axes.Select((a, i) =>
    {
        var name = SpatialLayout.AxisName(i, w.Axes.Length);
        var (o, axis) = (a.Output, a.Axis);
        var reads = a.Begin < a.End ? $"reads {a.Begin} to {a.End - 1}" : "reads no cell";
        switch (plan.Geometry.Mode.Windowing())
        {
            case PoolWindowing.Sliding:
                var step = a.Step > 1 ? $" every {a.Step}" : "";
                return $"{name}: start = {o}·{axis.Stride} − {axis.PadBegin} = {a.Start}, {a.Taps} taps{step} to {a.Start + (a.Taps - 1) * a.Step}; {reads}";
            case PoolWindowing.Adaptive:
                return $"{name}: start = floor({o}·{axis.Input}/{axis.Output}) = {a.Begin}, end = ceil({o + 1}·{axis.Input}/{axis.Output}) = {a.End}; {reads}";
            default:
                if (o == axis.Output - 1)
                    return $"{name}: the last window starts at I − K = {axis.Input} − {axis.Kernel} = {a.Begin}; {reads}";
                var u = w.Samples[i];
                var alpha = (axis.Input - axis.Kernel) / (double)(axis.Output - 1);
                var (first, second) = (Math.Floor((o + u) * alpha), Math.Floor(u * alpha));
                return $"{name}: u = {LearnText.Number(u)}, α = ({axis.Input} − {axis.Kernel}) / ({axis.Output} − 1) = {LearnText.Number(alpha)}, " +
                       $"start = floor(({o} + u)·α) − floor(u·α) = {first} − {second} = {a.Begin}; {reads}";
        }
    })];

    public static List<string> Of<T>(PoolExplainPlan plan, PoolExplanation<T> e) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (g, cell) = (plan.Geometry, LearnText.Index(plan.Cell));
        var notes = new List<string>();
        var padding = e.Cells.Count(c => c.Kind == PoolCellKind.Padding);
        var past = e.Cells.Count(c => c.Kind == PoolCellKind.PastEdge);
        switch (g.Mode.Reduction())
        {
            case PoolReduction.Max when e.Winner < 0:
                notes.Add($"The window of output{cell} holds no input cell, so its value is -∞.");
                break;
            case PoolReduction.Max:
                var winner = e.Cells[e.Winner];
                notes.Add($"output{cell} is the largest of its window's {e.Window.InsideCount} cells: {Number(winner.Value)} at input{LearnText.Index(winner.Index)}, " +
                          $"flat position {e.WinnerOffset} in its plane (what returnIndices gives); the gradient of this output goes there.");
                if (T.IsNaN(winner.Value))
                    notes.Add("The window holds a NaN, and a NaN wins, as in PyTorch.");
                else if (e.Tied.Length > 0)
                    notes.Add($"{e.Tied.Length} other {(e.Tied.Length == 1 ? "cell equals" : "cells equal")} {Number(winner.Value)} ({string.Join(", ", e.Tied.Select(t => $"input{LearnText.Index(e.Cells[t].Index)}"))}): the first in row-major window order wins.");
                if (padding > 0)
                    notes.Add($"{padding} of the window's taps fall in the padding, which max pooling fills with -∞: they never win.");
                break;
            case PoolReduction.Mean:
                notes.Add($"output{cell} = {Number(e.Sum)} / {e.Divisor}: {DivisorReason(plan, e.Window)}.");
                break;
            default:
                notes.Add(e.Divisor == g.KernelVolume
                    ? $"output{cell} = (Σ x^p)^(1/p) with p = {LearnText.Number(g.NormType)}: Σ x^p = {Number(e.Sum)}."
                    : $"ceilMode cut this window at the edge: PyTorch averages x^p over the {e.Divisor} {(e.Divisor == 1 ? "cell" : "cells")} inside (Σ x^p = {Number(e.Sum)}), then scales by the kernel's {g.KernelVolume} cells: ({Number(e.Sum)} / {e.Divisor} · {g.KernelVolume})^(1/p).");
                break;
        }
        if (past > 0 && g.Mode.Reduction() != PoolReduction.Mean)
            notes.Add($"ceilMode: {past} of the window's taps lie past the padded input's edge; they are cut off.");
        if (g.Mode == PoolMode.FractionalMax)
            notes.Add($"fractional-max places each axis's windows with one random sample u per plane (samples lists them); send randomSamples, or seed, to place them the same way again.");
        return notes;
    }

    /// <summary>The response for an input cell's gradient.</summary>
    public static PoolGradientResponse Gradient<T>(PoolExplainPlan plan, PoolGradient<T> gradient, bool onesGradient) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (g, cell) = (plan.Geometry, LearnText.Index(plan.Cell));
        var reduction = g.Mode.Reduction();
        var sending = gradient.Shares.Where(s => s.Sends).ToList();
        var value = Number(gradient.Value);
        // Max passes gradients through whole: name the outputs that send them, then their values.
        var text = sending.Count == 0 ? $"no window sends gradient here: {value}"
            : reduction == PoolReduction.Max
                ? $"{LearnText.Join(sending.Count, i => $"gradOutput{LearnText.Index(sending[i].Window.Cell)}", " + ")} = " +
                  (sending.Count == 1 ? value : LearnText.Sum(sending.Count, i => LearnText.Factor(LearnText.Widen(sending[i].Grad)), value))
                : LearnText.Sum(sending.Count, i => reduction == PoolReduction.Mean
                    ? $"{LearnText.Factor(LearnText.Widen(sending[i].Grad))}/{sending[i].Window.Divisor}"
                    : $"{LearnText.Factor(LearnText.Widen(sending[i].Grad))}·{LearnText.Factor(LearnText.Widen(sending[i].Derivative))}", value);
        var notes = new List<string>();
        var holders = gradient.Shares.Count;
        if (holders == 0)
            notes.Add($"No window holds input{cell} (the stride steps over it), so its gradient is 0.");
        else if (reduction == PoolReduction.Max)
            notes.Add($"The gradient of a max goes only to the cell that won the window: {holders} {(holders == 1 ? "window holds" : "windows hold")} input{cell}, and {sending.Count} of them picked it" +
                      (sending.Count == 0 ? "." : $" ({string.Join(", ", sending.Select(s => $"output{LearnText.Index(s.Window.Cell)}"))})."));
        else if (reduction == PoolReduction.Mean)
            notes.Add($"Each of the {holders} {(holders == 1 ? "window" : "windows")} holding input{cell} spreads its gradient evenly over its divisor: g/divisor each.");
        else
            notes.Add($"By the chain rule through y = (Σ x^p / n · K)^(1/p): ∂y/∂x = (K/n)·x^(p−1)·y^(1−p), so {(holders == 1 ? "the window" : $"each of the {holders} windows")} holding input{cell} sends g·∂y/∂x; " +
                      $"PyTorch multiplies the summed shares by p·x^(p−1) = {Number(gradient.Factor)} last.");
        if (onesGradient)
            notes.Add("gradOutput was not sent, so every gradOutput value is 1: the gradient of the sum of the output.");
        if (plan.Dtype == DType.Float32)
            notes.Add("dtype float32: each step is rounded to float32, and the numbers are written as float32 values.");
        return new PoolGradientResponse
        {
            Mode = g.Mode.WireName(),
            Cell = [.. gradient.Cell],
            X = LearnText.Widen(gradient.Input),
            Value = LearnText.Widen(gradient.Value),
            Terms = [.. gradient.Shares.Select(s => new PoolGradientTerm
            {
                GradOutput = [.. s.Window.Cell],
                G = LearnText.Widen(s.Grad),
                Derivative = LearnText.Widen(s.Derivative),
                Share = LearnText.Widen(s.Share),
                Sends = s.Sends,
                Output = LearnText.Widen(s.Window.Value),
            })],
            Text = text,
            OutputSize = SizeFormulas.Pool(plan.Geometry, plan.Options),
            Notes = notes,
        };
    }

    private static string Number<T>(T value) where T : unmanaged, IFloatingPointIeee754<T> => LearnText.Number(LearnText.Widen(value));

    // A window cell inside a rule: its value, in square brackets when it lies in the padding.
    private static string Cell<T>(PoolCellRead<T> cell) where T : unmanaged, IFloatingPointIeee754<T> =>
        cell.Kind == PoolCellKind.Inside ? Number(cell.Value) : $"[{Number(cell.Value)}]";
}
