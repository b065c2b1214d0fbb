using System.Collections.Immutable;
using System.Numerics;
using ConvService.Domain.Pooling;
using ConvService.Domain.Pooling.Reductions;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Explanation;

/// <summary>One cell of an explained pooling window: its index in the input's rank (its position, for a cell outside the input), where it lies, its value.</summary>
/// <param name="Index">The cell in the input's rank.</param>
/// <param name="Kind">Inside, in the padding, or past the padded input's edge.</param>
/// <param name="Value">The input's value inside; −∞ (max) or 0 (avg) in the padding; 0 past the edge, where nothing is read.</param>
public sealed record PoolCellRead<T>(ImmutableArray<int> Index, PoolCellKind Kind, T Value) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// A pooling output cell explained: its window, the cells in row-major window order with their values, and the value as
/// the mode's reduction computes it in the call's precision. The mode-specific parts are set for their modes only.
/// </summary>
public sealed record PoolExplanation<T>(PoolWindow Window, ImmutableArray<int> Cell, IReadOnlyList<PoolCellRead<T>> Cells, T Value)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Max: the position in <see cref="Cells"/> of the cell that won (the first maximal one, or the last NaN), −1 when the window reads no cell.</summary>
    public int Winner { get; init; } = -1;

    /// <summary>Max: positions in <see cref="Cells"/> of the other cells equal to the maximum, which lost the tie.</summary>
    public ImmutableArray<int> Tied { get; init; } = [];

    /// <summary>Max: the winner's flat position in its input plane (what returnIndices gives), −1 when none.</summary>
    public int WinnerOffset { get; init; } = -1;

    /// <summary>Mean: the sum of the cells read; lp: the sum of their p-th powers.</summary>
    public T Sum { get; init; }

    /// <summary>Mean and lp: what the sum is divided by (divisorOverride, or the window's <see cref="PoolWindow.Extent"/>).</summary>
    public long Divisor { get; init; }

    /// <summary>lp: each cell's x^p (0 for cells not read), in the order of <see cref="Cells"/>.</summary>
    public ImmutableArray<T> Powers { get; init; } = [];

    /// <summary>lp: <c>Sum / Divisor · K</c>, the number whose p-th root is the value.</summary>
    public T Scaled { get; init; }
}

/// <summary>What one output cell's gradient sends to an input cell.</summary>
/// <param name="Window">The output cell and its window.</param>
/// <param name="Grad">gradOutput at that cell (1 when gradOutput is absent).</param>
/// <param name="Share">What reaches the input cell: the gradient itself (max, when the cell won), over the divisor (mean), or through lp's chain rule.</param>
/// <param name="Sends">False for a max window won by another cell.</param>
/// <param name="Derivative">∂output/∂input at this pair: 1 or 0 (max), 1/divisor (mean), lp's chain rule; Share = Grad·Derivative up to rounding.</param>
public sealed record PoolShare<T>(PoolExplanation<T> Window, T Grad, T Share, bool Sends, T Derivative) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>An input cell's gradient explained: the output cells whose windows hold it, what each sends, and their sum.</summary>
/// <param name="Cell">The input cell, in the input's rank.</param>
/// <param name="Input">The input's value at the cell.</param>
/// <param name="Shares">One per output cell whose window holds the input cell, output cells in row-major order.</param>
/// <param name="Value">The gradient: the shares summed in that order (lp: then times <paramref name="Factor"/>).</param>
/// <param name="Factor">lp: <c>p·x^(p − 1)</c>, the last factor of the chain rule, applied to the summed shares; else 1.</param>
public sealed record PoolGradient<T>(ImmutableArray<int> Cell, T Input, IReadOnlyList<PoolShare<T>> Shares, T Value, T Factor)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// Pooling cells explained from the windows its kernels use (<see cref="PoolWindows"/>), reduced as the kernels reduce:
/// max (the first maximal cell in row-major window order; a NaN wins), mean (sum over divisorOverride or the window's
/// extent), lp (<c>(Σ x^p / divisor · K)^(1/p)</c>, as PyTorch's lp_pool). Cells are indices in their tensor's own rank.
/// </summary>
public static class PoolExplain
{
    /// <summary>The fractional-max samples a call draws from <paramref name="seed"/> when none are sent (every plane's).</summary>
    public static Tensor<T> DrawSamples<T>(PoolGeometry geometry, int? seed) where T : unmanaged, IFloatingPointIeee754<T> => Pool.Draw<T>(geometry, seed);

    /// <summary>Output cell <paramref name="cell"/> (in the output's rank) and how its value comes out of its window.</summary>
    /// <param name="geometry">The call's resolved geometry.</param>
    /// <param name="input">The input, of the geometry's input shape.</param>
    /// <param name="samples">fractional-max: every plane's samples, (N, C, d) as the call uses them; else null.</param>
    /// <param name="cell">The output cell, in the output's rank.</param>
    /// <exception cref="ArgumentException">The cell is not an index of the output, a tensor does not fit, or fractional-max has no samples.</exception>
    public static PoolExplanation<T> Output<T>(PoolGeometry geometry, Tensor<T> input, Tensor<T>? samples, ReadOnlySpan<int> cell)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckTensors(geometry, input, samples);
        var output = PlaneCell.Of(geometry.Windows.Input.Form, geometry.SpatialDims, cell);
        var window = PoolWindows.Of(geometry, PlaneSamples(geometry, samples, output), output);
        return Explain(geometry, input, window);
    }

    /// <summary>
    /// The gradient at input cell <paramref name="cell"/> (in the input's rank): each output cell whose window holds it,
    /// in row-major order, and what it sends. <paramref name="gradOutput"/> null means all ones.
    /// </summary>
    /// <exception cref="ArgumentException">The cell is not an index of the input, a tensor does not fit, or fractional-max has no samples.</exception>
    public static PoolGradient<T> GradInput<T>(PoolGeometry geometry, Tensor<T> input, Tensor<T>? gradOutput, Tensor<T>? samples, ReadOnlySpan<int> cell)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckTensors(geometry, input, samples);
        if (gradOutput is not null && PoolRules.CheckGradOutput(geometry.OutputShape, gradOutput.Shape) is { } problem)
            problem.Throw();
        var at = PlaneCell.Of(geometry.Windows.Input.Form, geometry.SpatialDims, cell);
        var sizes = geometry.Windows.Input.Sizes.ToArray();
        var offset = (int)PlaneCell.RowMajor(sizes, at.Spatial.AsSpan());
        var x = Plane(geometry, input, at)[offset];
        var shares = new List<PoolShare<T>>();
        var (sum, lp) = (T.Zero, geometry.Mode.Reduction() == PoolReduction.PowerMean);
        var p = T.CreateTruncating(geometry.NormType);
        var factor = lp ? p * TorchPow.Of(x, p - T.One) : T.One;
        foreach (var window in PoolWindows.Holding(geometry, PlaneSamples(geometry, samples, at), at))
        {
            var explained = Explain(geometry, input, window);
            var grad = gradOutput is null ? T.One : gradOutput.Span[(int)window.Output.Offset(geometry.Windows.Input.Channels, geometry.Windows.OutputSizes.Values.AsSpan())];
            var (share, sends, derivative) = geometry.Mode.Reduction() switch
            {
                PoolReduction.Max => explained.WinnerOffset == offset ? (grad, true, T.One) : (T.Zero, false, T.Zero),
                PoolReduction.Mean => (grad / T.CreateTruncating(explained.Divisor), true, T.One / T.CreateTruncating(explained.Divisor)),
                _ => (PowerMeanShare(geometry, explained, grad), true, PowerMeanShare(geometry, explained, T.One) * factor),
            };
            sum += share;
            shares.Add(new PoolShare<T>(explained, grad, lp ? share * factor : share, sends, derivative));
        }
        return new PoolGradient<T>([.. cell], x, shares, lp ? sum * factor : sum, factor);
    }

    private static PoolExplanation<T> Explain<T>(PoolGeometry geometry, Tensor<T> input, PoolWindow window) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var form = geometry.Windows.Input.Form;
        var plane = Plane(geometry, input, window.Output);
        var sizes = geometry.Windows.Input.Sizes.ToArray();
        var reduction = geometry.Mode.Reduction();
        var padding = reduction == PoolReduction.Max ? T.NegativeInfinity : T.Zero;
        var cells = new List<PoolCellRead<T>>();
        var offsets = new List<int>();
        foreach (var (position, kind) in window.Cells())
        {
            var offset = kind == PoolCellKind.Inside ? (int)PlaneCell.RowMajor(sizes, position.AsSpan()) : -1;
            offsets.Add(offset);
            var value = kind == PoolCellKind.Inside ? plane[offset] : kind == PoolCellKind.Padding ? padding : T.Zero;
            cells.Add(new PoolCellRead<T>(new PlaneCell(window.Output.Batch, window.Output.Channel, position).In(form), kind, value));
        }
        var cell = window.Output.In(form);
        return reduction switch
        {
            PoolReduction.Max => Max(window, cell, cells, offsets),
            PoolReduction.Mean => Mean(geometry, window, cell, cells),
            _ => PowerMean(geometry, window, cell, cells),
        };
    }

    // As MaxReduction: the first cell read, then any larger one or any NaN.
    private static PoolExplanation<T> Max<T>(PoolWindow window, ImmutableArray<int> cell, List<PoolCellRead<T>> cells, List<int> offsets)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (best, at) = (T.NegativeInfinity, -1);
        for (var i = 0; i < cells.Count; i++)
        {
            if (cells[i].Kind == PoolCellKind.Inside && (at < 0 || cells[i].Value > best || T.IsNaN(cells[i].Value)))
                (best, at) = (cells[i].Value, i);
        }
        var tied = at < 0 || T.IsNaN(best) ? [] : Enumerable.Range(0, cells.Count).Where(i => i != at && cells[i].Kind == PoolCellKind.Inside && cells[i].Value == best).ToImmutableArray();
        return new PoolExplanation<T>(window, cell, cells, best) { Winner = at, Tied = tied, WinnerOffset = at < 0 ? -1 : offsets[at] };
    }

    // As MeanReduction: the cells read summed in window order from zero, over divisorOverride or the extent; 0 for a window that reads none.
    private static PoolExplanation<T> Mean<T>(PoolGeometry geometry, PoolWindow window, ImmutableArray<int> cell, List<PoolCellRead<T>> cells)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sum = T.Zero;
        foreach (var read in cells.Where(c => c.Kind == PoolCellKind.Inside))
            sum += read.Value;
        var divisor = geometry.DivisorOverride ?? window.Extent;
        var value = window.HoldsCells ? sum / T.CreateTruncating(divisor) : T.Zero;
        return new PoolExplanation<T>(window, cell, cells, value) { Sum = sum, Divisor = divisor };
    }

    // As PowerMeanReduction: y = mean of x^p over the cells read, then (y·K)^(1/p) (a square root for p = 2).
    private static PoolExplanation<T> PowerMean<T>(PoolGeometry geometry, PoolWindow window, ImmutableArray<int> cell, List<PoolCellRead<T>> cells)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (p, root, volume) = (T.CreateTruncating(geometry.NormType), T.CreateTruncating(1.0 / geometry.NormType), T.CreateTruncating(geometry.KernelVolume));
        var powers = cells.Select(c => c.Kind == PoolCellKind.Inside ? TorchPow.Of(c.Value, p) : T.Zero).ToImmutableArray();
        var sum = T.Zero;
        for (var i = 0; i < cells.Count; i++)
        {
            if (cells[i].Kind == PoolCellKind.Inside)
                sum += powers[i];
        }
        var divisor = window.Extent;
        var mean = window.HoldsCells ? sum / T.CreateTruncating(divisor) : T.Zero;
        var scaled = mean * volume;
        var value = root == T.CreateTruncating(0.5) ? T.Sqrt(scaled) : TorchPow.Of(scaled, root);
        return new PoolExplanation<T>(window, cell, cells, value) { Sum = sum, Divisor = divisor, Powers = powers, Scaled = scaled };
    }

    // As PowerMeanReduction.Backward, up to the spread: gU = g·(1/p)·u^(1/p − 1) for u = y·K, gY = gU·K (0 where |y| ≤ 0), over the divisor.
    private static T PowerMeanShare<T>(PoolGeometry geometry, PoolExplanation<T> window, T grad) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (root, volume) = (T.CreateTruncating(1.0 / geometry.NormType), T.CreateTruncating(geometry.KernelVolume));
        var divisor = T.CreateTruncating(window.Divisor);
        var y = window.Window.HoldsCells ? window.Sum / divisor : T.Zero;
        var u = T.CopySign(T.Abs(y), y) * volume;
        var gU = grad * (root * TorchPow.Of(u, root - T.One));
        var gY = T.Abs(y) <= T.Zero ? T.Zero : gU * volume;
        return gY / divisor;
    }

    private static ReadOnlySpan<T> Plane<T>(PoolGeometry geometry, Tensor<T> input, PlaneCell cell) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var length = geometry.InputPlaneLength;
        return input.Span.Slice((cell.Batch * geometry.Windows.Input.Channels + cell.Channel) * length, length);
    }

    private static ReadOnlySpan<T> PlaneSamples<T>(PoolGeometry geometry, Tensor<T>? samples, PlaneCell cell) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (geometry.Mode != PoolMode.FractionalMax)
            return default;
        var d = geometry.SpatialDims;
        return samples!.Span.Slice((cell.Batch * geometry.Windows.Input.Channels + cell.Channel) * d, d);
    }

    private static void CheckTensors<T>(PoolGeometry geometry, Tensor<T> input, Tensor<T>? samples) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!input.Shape.Equals(geometry.InputShape))
            throw new ArgumentException($"input has shape {input.Shape}; the geometry was resolved for {geometry.InputShape}", nameof(input));
        if (geometry.Mode == PoolMode.FractionalMax && (samples is null || !samples.Shape.Equals(geometry.SamplesShape)))
            throw new ArgumentException($"fractional-max needs samples of shape {geometry.SamplesShape}: the request's, or {nameof(DrawSamples)}'s", nameof(samples));
    }
}
