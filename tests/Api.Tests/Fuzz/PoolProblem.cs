using System.Globalization;
using CsCheck;

namespace ConvService.Api.Tests.Fuzz;

/// <summary>
/// A valid pooling request of one mode: N·C planes of H×W (sent as rank 2, 3 or 4), that mode's options within
/// PyTorch's rules, values that are not binary fractions (positive for a fractional lp norm), float64 or float32.
/// </summary>
public sealed record PoolProblem(string Mode, int[] Input, double[] Data, int[] Kernel, int[]? Stride, int[] Padding, int[] Dilation,
    bool CeilMode, bool? CountIncludePad, int? DivisorOverride, double NormType, int[] OutputSize, double[] Samples,
    bool ReturnIndices, string DType, int? GradSeed)
{
    public static readonly string[] Modes = ["max", "avg", "lp", "fractional-max", "adaptive-max", "adaptive-avg"];

    public int Planes => Input.Length <= 2 ? 1 : Input[..^2].Aggregate(1, (a, b) => a * b);

    public int Height => Input[^2];

    public int Width => Input[^1];

    public bool IsMaxType => Mode is "max" or "fractional-max" or "adaptive-max";

    public bool Sliding => Mode is "max" or "avg" or "lp";

    public int[] Step => Stride ?? Kernel;

    /// <summary>Output size per axis: PyTorch's pooling_output_shape for the sliding modes (ceil mode drops a last window starting in the end padding).</summary>
    public int Out(int axis)
    {
        if (!Sliding)
            return OutputSize[axis];
        var size = axis == 0 ? Height : Width;
        var reach = Dilation[axis] * (Kernel[axis] - 1) + 1;
        var span = size + 2 * Padding[axis] - reach;
        if (span < 0)
            return 0;
        var output = (span + (CeilMode ? Step[axis] - 1 : 0)) / Step[axis] + 1;
        return CeilMode && (output - 1) * Step[axis] >= size + Padding[axis] ? output - 1 : output;
    }

    public int[] OutputShape => [.. Input[..^2], Out(0), Out(1)];

    public bool IsValid => Out(0) >= 1 && Out(1) >= 1 && (Mode != "fractional-max" || (OutputSize[0] + Kernel[0] - 1 <= Height && OutputSize[1] + Kernel[1] - 1 <= Width));

    public double Typed(double value) => FuzzNumbers.Typed(value, DType);

    public double[] GradOutput() => GradSeed is { } seed ? FuzzNumbers.Drawn(seed, OutputShape.Aggregate(1, (a, b) => a * b)) : [.. Enumerable.Repeat(1.0, OutputShape.Aggregate(1, (a, b) => a * b))];

    public static Gen<PoolProblem> For(string mode) =>
        from rank in Gen.Int[2, 4]
        from n in Gen.Int[1, 2]
        from c in Gen.Int[1, 2]
        from h in Gen.Int[1, 7]
        from w in Gen.Int[1, 7]
        from kernel in Gen.Int[1, 3].Array[2]
        from stride in Gen.OneOf(Gen.Const((int[]?)null), Gen.Int[1, 3].Array[2].Select(s => (int[]?)s))
        from padFraction in Gen.Double[0, 1].Array[2]
        from dilation in Gen.Int[1, 2].Array[2]
        from ceil in Gen.Bool
        from countIncludePad in Gen.OneOf(Gen.Const((bool?)null), Gen.Bool.Select(b => (bool?)b))
        from divisor in Gen.OneOf(Gen.Const((int?)null), Gen.Int[1, 5].Select(d => (int?)d))
        from norm in Gen.OneOf(Gen.Const(1.0), Gen.Const(2.0), Gen.Const(3.0), Gen.Const(2.5))
        from outputSize in Gen.Int[1, 8].Array[2]
        from samples in Gen.Int[0, 12].Select(k => k / 13.0).Array[n * c * 2]
        from returnIndices in Gen.Bool
        from dtype in Gen.OneOf("float64", "float32")
        from gradSeed in Gen.Int[0, 3].Select(i => i == 0 ? (int?)null : i * 104729)
        from values in (mode == "lp" && norm == 2.5 ? FuzzNumbers.Positive : FuzzNumbers.Value).Array[n * c * h * w]
        let input = rank switch { 4 => new[] { n, c, h, w }, 3 => new[] { n * c, h, w }, _ => new[] { h, w } }
        let planes = rank == 2 ? 1 : n * c
        select new PoolProblem(mode, input, values[..(planes * h * w)], kernel, mode is "max" or "avg" or "lp" ? stride : null,
            mode is "max" or "avg" ? [Math.Min(kernel[0] / 2, (int)(padFraction[0] * (kernel[0] / 2 + 1))), Math.Min(kernel[1] / 2, (int)(padFraction[1] * (kernel[1] / 2 + 1)))] : [0, 0],
            mode == "max" ? dilation : [1, 1], ceil, mode == "avg" ? countIncludePad : null, mode == "avg" ? divisor : null, norm,
            mode == "fractional-max" ? [Math.Max(1, outputSize[0] % (h + 1)), Math.Max(1, outputSize[1] % (w + 1))] : outputSize,
            samples[..(planes * 2)], returnIndices, dtype, gradSeed);

    public string ToJson(bool backward)
    {
        var fields = new List<string> { $"\"input\":{FuzzNumbers.Flat(Input, Data)}", $"\"dtype\":\"{DType}\"" };
        if (Sliding || Mode == "fractional-max")
            fields.Add($"\"kernelSize\":[{Kernel[0]},{Kernel[1]}]");
        if (Sliding)
        {
            if (Stride is not null)
                fields.Add($"\"stride\":[{Stride[0]},{Stride[1]}]");
            fields.Add($"\"ceilMode\":{(CeilMode ? "true" : "false")}");
        }
        if (Mode is "max" or "avg")
            fields.Add($"\"padding\":[{Padding[0]},{Padding[1]}]");
        if (Mode == "max")
            fields.Add($"\"dilation\":[{Dilation[0]},{Dilation[1]}]");
        if (CountIncludePad is { } include)
            fields.Add($"\"countIncludePad\":{(include ? "true" : "false")}");
        if (DivisorOverride is { } divisor)
            fields.Add($"\"divisorOverride\":{divisor}");
        if (Mode == "lp")
            fields.Add($"\"normType\":{NormType.ToString("R", CultureInfo.InvariantCulture)}");
        if (!Sliding)
            fields.Add($"\"outputSize\":[{OutputSize[0]},{OutputSize[1]}]");
        if (Mode == "fractional-max")
            fields.Add($"\"randomSamples\":{FuzzNumbers.Flat(SamplesShape, Samples)}");
        if (IsMaxType && ReturnIndices && !backward)
            fields.Add("\"returnIndices\":true");
        if (backward && GradSeed is not null)
            fields.Add($"\"gradOutput\":{FuzzNumbers.Flat(OutputShape, GradOutput())}");
        return "{" + string.Join(",", fields) + "}";
    }

    public override string ToString() => ToJson(GradSeed is not null);

    private int[] SamplesShape => Input.Length switch { 4 => [Input[0], Input[1], 2], 3 => [Input[0], 2], _ => [1, 2] };
}
