namespace ConvService.Api.Tests.Fuzz;

/// <summary>
/// The six poolings and their gradients by PyTorch's formulas, one window at a time (not the operators under test):
/// max, fractional-max and adaptive-max take the first largest cell in row-major window order (index y·W + x) and
/// send the gradient there (a dilated window whose taps all fall in the padding is −∞ with index −1 and sends
/// nothing back: PyTorch's index there points outside the plane); avg divides by divisorOverride, or the window's extent clipped to the padded input
/// (countIncludePad) or to the input; lp is avg_pool2d(x^p, padding 0)·kh·kw to the power 1/p, as lp_pool2d;
/// adaptive windows are [floor(i·I/O), ceil((i+1)·I/O)); fractional windows start at
/// floor((i + u)·α) − floor(u·α), α = (I − K)/(O − 1), computed in the request's dtype, the last at I − K.
/// </summary>
public static class NaivePool
{
    public static (Expected Output, Expected? Indices) Forward(PoolProblem p)
    {
        var (outputs, values, scale, indices) = Allocate(p);
        ForEachWindow(p, (plane, o, cells, divisor) =>
        {
            switch (p.Mode)
            {
                case "avg" or "adaptive-avg":
                    foreach (var (cell, _) in cells)
                    {
                        values[o] += p.Typed(p.Data[plane + cell]) / divisor;
                        scale[o] += Math.Abs(p.Typed(p.Data[plane + cell]) / divisor);
                    }
                    break;
                case "lp":
                    var (sum, magnitude) = (0.0, 0.0);
                    foreach (var (cell, _) in cells)
                    {
                        sum += Math.Pow(p.Typed(p.Data[plane + cell]), p.NormType);
                        magnitude += Math.Pow(Math.Abs(p.Typed(p.Data[plane + cell])), p.NormType);
                    }
                    var k = p.Kernel[0] * p.Kernel[1];
                    values[o] = Math.Pow(sum / divisor * k, 1 / p.NormType);
                    // A sum that cancels is only as exact as its terms: its error, relative to it, grows by magnitude / |sum|.
                    scale[o] = Math.Max(Math.Pow(magnitude / divisor * k, 1 / p.NormType), Math.Abs(values[o]) * Condition(sum, magnitude));
                    break;
                default:
                    var best = BestCell(p, plane, cells);
                    values[o] = best < 0 ? double.NegativeInfinity : p.Typed(p.Data[plane + best]);
                    scale[o] = best < 0 ? 0 : Math.Abs(values[o]);
                    indices[o] = best;
                    break;
            }
        });
        var wantIndices = p.IsMaxType && p.ReturnIndices;
        return (new Expected(p.OutputShape, values, scale), wantIndices ? new Expected(p.OutputShape, indices, new double[outputs], Exact: true) : null);
    }

    public static Expected Backward(PoolProblem p)
    {
        var gradOutput = p.GradOutput().Select(p.Typed).ToArray();
        var (gradInput, scale) = (new double[p.Data.Length], new double[p.Data.Length]);
        ForEachWindow(p, (plane, o, cells, divisor) =>
        {
            var g = gradOutput[o];
            switch (p.Mode)
            {
                case "avg" or "adaptive-avg":
                    foreach (var (cell, _) in cells)
                        Add(plane + cell, g / divisor);
                    break;
                case "lp":
                    var sum = cells.Sum(c => Math.Pow(p.Typed(p.Data[plane + c.Cell]), p.NormType)) / divisor;
                    if (sum == 0)
                        break; // relu's gradient at 0 is 0 in PyTorch: the window sends nothing back
                    var condition = Condition(sum, cells.Sum(c => Math.Pow(Math.Abs(p.Typed(p.Data[plane + c.Cell])), p.NormType)) / divisor);
                    var k = p.Kernel[0] * p.Kernel[1];
                    var outer = g * Math.Pow(sum * k, 1 / p.NormType - 1) * k / divisor;
                    foreach (var (cell, _) in cells)
                        Add(plane + cell, outer * Math.Pow(p.Typed(p.Data[plane + cell]), p.NormType - 1), condition);
                    break;
                default:
                    if (BestCell(p, plane, cells) is >= 0 and var best)
                        Add(plane + best, g);
                    break;
            }
        });
        return new Expected(p.Input, gradInput, scale);

        void Add(int index, double value, double condition = 1)
        {
            gradInput[index] += value;
            scale[index] += Math.Abs(value) * condition;
        }
    }

    private static double Condition(double sum, double magnitude) => sum == 0 ? 1 : Math.Max(1, magnitude / Math.Abs(sum));

    /// <summary>
    /// Whether an lp window's Σ x^p cancels to zero up to rounding while its terms do not: there the answer hangs on
    /// the order of the additions (PyTorch's included), at relu's kink and under a root that magnifies it, so no
    /// reference can say what it must be.
    /// </summary>
    public static bool HasWindowCancellingToZero(PoolProblem p)
    {
        var cancels = false;
        ForEachWindow(p, (plane, _, cells, _) =>
        {
            var sum = cells.Sum(c => Math.Pow(p.Typed(p.Data[plane + c.Cell]), p.NormType));
            var magnitude = cells.Sum(c => Math.Pow(Math.Abs(p.Typed(p.Data[plane + c.Cell])), p.NormType));
            cancels |= p.Mode == "lp" && magnitude > 0 && Math.Abs(sum) <= 1e-6 * magnitude;
        });
        return cancels;
    }

    private static (int Count, double[] Values, double[] Scale, double[] Indices) Allocate(PoolProblem p)
    {
        var count = p.OutputShape.Aggregate(1, (a, b) => a * b);
        return (count, new double[count], new double[count], new double[count]);
    }

    /// <summary>The first cell holding the window's largest value (a NaN wins), as a position y·W + x in the plane; −1 for no cell.</summary>
    private static int BestCell(PoolProblem p, int plane, List<(int Cell, int _)> cells)
    {
        var (best, bestValue) = (-1, double.NegativeInfinity);
        foreach (var (cell, _) in cells)
        {
            var value = p.Typed(p.Data[plane + cell]);
            if (best < 0 || value > bestValue || double.IsNaN(value))
                (best, bestValue) = (cell, value);
        }
        return best;
    }

    /// <summary>Calls <paramref name="window"/>(plane offset, output index, cells read (position in the plane), divisor) per output.</summary>
    private static void ForEachWindow(PoolProblem p, Action<int, int, List<(int Cell, int _)>, double> window)
    {
        var (oh, ow) = (p.Out(0), p.Out(1));
        for (var plane = 0; plane < p.Planes; plane++)
        {
            var rows = Windows(p, 0, plane);
            var cols = Windows(p, 1, plane);
            for (var i = 0; i < oh; i++)
            for (var j = 0; j < ow; j++)
            {
                var cells = new List<(int, int)>();
                foreach (var y in rows[i].Cells)
                foreach (var x in cols[j].Cells)
                    cells.Add((y * p.Width + x, 0));
                var divisor = p.Mode switch
                {
                    "avg" => p.DivisorOverride ?? (p.CountIncludePad ?? true ? rows[i].Extent * cols[j].Extent : rows[i].Cells.Count * cols[j].Cells.Count),
                    _ => rows[i].Cells.Count * cols[j].Cells.Count,
                };
                window(plane * p.Height * p.Width, (plane * oh + i) * ow + j, cells, divisor);
            }
        }
    }

    /// <summary>Per output position of one axis: the input positions its window reads, and (avg) its extent within the padded input.</summary>
    private static List<(List<int> Cells, int Extent)> Windows(PoolProblem p, int axis, int plane)
    {
        var size = axis == 0 ? p.Height : p.Width;
        var (output, kernel) = (p.Out(axis), p.Kernel[axis]);
        var windows = new List<(List<int>, int)>();
        for (var o = 0; o < output; o++)
        {
            switch (p.Mode)
            {
                case "max" or "avg" or "lp":
                    var start = o * p.Step[axis] - p.Padding[axis];
                    var end = Math.Min(start + (kernel - 1) * p.Dilation[axis] + 1, size + p.Padding[axis]);
                    var cells = Enumerable.Range(0, kernel).Select(u => start + u * p.Dilation[axis]).Where(x => x >= 0 && x < size).ToList();
                    windows.Add((cells, end - start));
                    break;
                case "adaptive-max" or "adaptive-avg":
                    var (from, to) = ((int)Math.Floor((double)o * size / output), (int)Math.Ceiling((double)(o + 1) * size / output));
                    windows.Add((Enumerable.Range(from, to - from).ToList(), to - from));
                    break;
                default:
                    // randomSamples hold (width, height) per plane: the width's sample first
                    var first = FractionalStart(p, p.Samples[plane * 2 + (axis == 0 ? 1 : 0)], size, kernel, output, o);
                    windows.Add((Enumerable.Range(first, kernel).ToList(), kernel));
                    break;
            }
        }
        return windows;
    }

    private static int FractionalStart(PoolProblem p, double sample, int size, int kernel, int output, int o)
    {
        if (o == output - 1)
            return size - kernel;
        if (p.DType == "float32")
        {
            var (u, alpha) = ((float)sample, (float)(size - kernel) / (output - 1));
            return (int)((o + u) * alpha) - (int)(u * alpha);
        }
        var a = (double)(size - kernel) / (output - 1);
        return (int)((o + sample) * a) - (int)(sample * a);
    }
}
