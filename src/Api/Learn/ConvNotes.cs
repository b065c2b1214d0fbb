using System.Numerics;
using ConvService.Api.Plans.Learn;
using ConvService.Domain.Convolution;
using ConvService.Domain.Explanation;
using ConvService.Domain.Geometry;

namespace ConvService.Api.Learn;

/// <summary>What a convolution cell's sum means, in a teacher's words and with the request's numbers.</summary>
internal static class ConvNotes
{
    public static List<string> Of<T>(ConvExplainPlan plan, CellSum<T> sum, bool onesGradient) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (g, cell, n) = (plan.Geometry, LearnText.Index(plan.Cell), sum.Terms.Count);
        var padded = sum.Terms.Count(t => t.Padded);
        var notes = new List<string>();
        switch (plan.Of)
        {
            case ExplainedTensor.Output:
                var output = PlaneCell.Of(g.Windows.Input.Form, g.SpatialDims, plan.Cell.AsSpan());
                var bias = sum.Bias is null ? "" : $", then bias[{output.Channel}] = {LearnText.Number(LearnText.Widen(sum.Bias.Value))} is added";
                notes.Add($"output{cell} = Σ input·kernel over its window: {Channels(g, output.Channel)}{Window(g.Axes, output.Spatial)}, {n} products{bias}.");
                if (padded > 0)
                    notes.Add($"{padded} of the {n} taps fall in the {Mode(g.PaddingMode)} padding, shown in square brackets: {Reads(g.PaddingMode)}");
                break;
            case ExplainedTensor.GradInput:
                notes.Add(n == 0
                    ? $"No window reads input{cell} (the stride steps over it, or it lies past the last window), so its gradient is 0."
                    : $"By the chain rule, gradInput{cell} = Σ gradOutput·∂output/∂input: each output cell whose window reads input{cell} sends back its gradient times the weight that multiplied it there ({n} such pairs).");
                if (padded > 0)
                    notes.Add($"{padded} of them read it through a {Mode(g.PaddingMode)} padding cell that copies it; those products are in square brackets (position is the padding cell).");
                break;
            case ExplainedTensor.GradKernel:
                notes.Add($"gradKernel{cell} = Σ input·gradOutput: in each of the {LearnText.Count(n)} windows{Batches(g.Batch)} this weight multiplied the input cell under it, and the output cell it went into sends back its gradient.");
                if (padded > 0)
                    notes.Add($"{padded} of those input cells lie in the {Mode(g.PaddingMode)} padding, shown in square brackets: {Reads(g.PaddingMode)}");
                break;
            default:
                notes.Add($"gradBias{cell} = Σ gradOutput over the {LearnText.Count(n)} cells of output channel {plan.Cell[0]}{Batches(g.Batch)}: the bias was added once to each of them.");
                break;
        }
        if (onesGradient && plan.Of != ExplainedTensor.Output)
            notes.Add("gradOutput was not sent, so every gradOutput value is 1: the gradient of the sum of the output.");
        if (g.Axes.Any(a => a.PadBegin > 0 || a.PadEnd > 0))
            notes.Add($"Padding (begin, end) per axis: {string.Join(", ", g.Axes.Select((a, i) => $"{SpatialLayout.AxisName(i, g.SpatialDims)} [{a.PadBegin}, {a.PadEnd}]"))}.");
        return notes;
    }

    public static List<string> OfTransposed<T>(ConvTransposeExplainPlan plan, CellSum<T> sum, bool onesGradient) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (f, cell, n) = (plan.Geometry.Forward, LearnText.Index(plan.Cell), sum.Terms.Count);
        var cropped = sum.Terms.Count(t => t.Padded);
        var notes = new List<string>();
        switch (plan.Of)
        {
            case ExplainedTensor.Output:
                var output = PlaneCell.Of(f.Windows.Input.Form, f.SpatialDims, plan.Cell.AsSpan());
                var bias = sum.Bias is null ? "" : $", then bias[{output.Channel}] = {LearnText.Number(LearnText.Widen(sum.Bias.Value))} is added";
                notes.Add(n == 0
                    ? $"No input cell lands on output{cell} (it lies in the output padding past the last window), so it holds {(sum.Bias is null ? "0" : "the bias alone")}."
                    : $"A transposed convolution spreads each input cell, times the kernel, over the output, stride apart: output{cell} gathers the {n} (input cell, weight) pairs that land on it, where input position·stride − padding + tap·dilation = its position on every axis{bias}.");
                break;
            case ExplainedTensor.GradInput:
                notes.Add($"gradInput{cell} = Σ gradOutput·kernel over the output cells input{cell} spread onto ({n} taps): the convolution of gradOutput with the kernel, at this cell.");
                if (cropped > 0)
                    notes.Add($"{cropped} of the taps land on cells the padding crops off the output; they read 0, shown in square brackets.");
                break;
            case ExplainedTensor.GradKernel:
                notes.Add($"gradKernel{cell} = Σ input·gradOutput: each of the {LearnText.Count(n)} input cells{Batches(f.Batch)} spread its value times this weight onto one output cell, which sends back its gradient.");
                if (cropped > 0)
                    notes.Add($"{cropped} of those output cells are cropped by the padding; they read 0, shown in square brackets.");
                break;
            default:
                notes.Add($"gradBias{cell} = Σ gradOutput over the {LearnText.Count(n)} cells of output channel {plan.Cell[0]}{Batches(f.Batch)}: the bias was added once to each of them.");
                break;
        }
        if (onesGradient && plan.Of != ExplainedTensor.Output)
            notes.Add("gradOutput was not sent, so every gradOutput value is 1: the gradient of the sum of the output.");
        return notes;
    }

    /// <summary>"height 0 to 2 × width 0 to 2", with the step when dilated.</summary>
    public static string Window(IReadOnlyList<WindowAxis> axes, IReadOnlyList<int> output) => string.Join(" × ", axes.Select((a, i) =>
    {
        var (first, last) = (a.Position(output[i], 0), a.Position(output[i], a.Kernel - 1));
        var step = a.Dilation > 1 ? $" every {a.Dilation}" : "";
        return $"{SpatialLayout.AxisName(i, axes.Count)} {first} to {last}{step}";
    }));

    private static string Channels(ConvGeometry g, int outChannel)
    {
        if (g.InChannelsPerGroup == 1 && g.Groups == 1)
            return g.InChannels == 1 ? "input " : "input channel 0, ";
        var first = outChannel / g.OutChannelsPerGroup * g.InChannelsPerGroup;
        var group = g.Groups > 1 ? $" (group {outChannel / g.OutChannelsPerGroup} of {g.Groups})" : "";
        return $"input channels {first} to {first + g.InChannelsPerGroup - 1}{group}, each over ";
    }

    private static string Batches(int batch) => batch > 1 ? $", in all {batch} batches" : "";

    private static string Mode(PaddingMode mode) => mode switch
    {
        PaddingMode.Zeros => "zero",
        PaddingMode.Reflect => "reflect",
        PaddingMode.Replicate => "replicate",
        _ => "circular",
    };

    private static string Reads(PaddingMode mode) => mode switch
    {
        PaddingMode.Zeros => "they read 0 (input and position name the padded cell).",
        PaddingMode.Reflect => "each reads the input cell it mirrors about the edge, without repeating the edge (input names it, position the padded cell).",
        PaddingMode.Replicate => "each repeats the nearest edge cell (input names it, position the padded cell).",
        _ => "each wraps around to the cell on the other side (input names it, position the padded cell).",
    };
}
