using CsCheck;

namespace ConvService.Api.Tests.Fuzz;

/// <summary>
/// A valid convolution request in NCHW, generated small enough for the naive reference: values that are not binary
/// fractions (k/7), float64 or float32, and for the backward route a gradOutput drawn from <see cref="GradSeed"/>.
/// </summary>
public sealed record ConvProblem(int[] Input, double[] InputData, int[] Kernel, double[] KernelData, double[]? Bias,
    int[] Stride, int[] Padding, bool Same, int[] Dilation, int Groups, string PaddingMode, string DType, int? GradSeed)
{
    private static readonly string[] Modes = ["zeros", "reflect", "replicate", "circular"];

    public static readonly Gen<ConvProblem> Gen =
        from groups in CsCheck.Gen.Int[1, 2]
        from n in CsCheck.Gen.Int[1, 2]
        from cPerGroup in CsCheck.Gen.Int[1, 2]
        from outPerGroup in CsCheck.Gen.Int[1, 2]
        from h in CsCheck.Gen.Int[1, 6]
        from w in CsCheck.Gen.Int[1, 6]
        from kh in CsCheck.Gen.Int[1, 3]
        from kw in CsCheck.Gen.Int[1, 3]
        from stride in CsCheck.Gen.Int[1, 3].Array[2]
        from padding in CsCheck.Gen.Int[0, 2].Array[2]
        from dilation in CsCheck.Gen.Int[1, 2].Array[2]
        from same in CsCheck.Gen.Int[0, 3].Select(i => i == 0)
        from mode in CsCheck.Gen.OneOf(Modes)
        from withBias in CsCheck.Gen.Bool
        from dtype in CsCheck.Gen.OneOf("float64", "float32")
        from gradSeed in CsCheck.Gen.Int[0, 3].Select(i => i == 0 ? (int?)null : i * 7919)
        from values in FuzzNumbers.Value.Array[n * groups * cPerGroup * h * w + groups * outPerGroup * cPerGroup * kh * kw + groups * outPerGroup]
        let inputShape = new[] { n, groups * cPerGroup, h, w }
        let kernelShape = new[] { groups * outPerGroup, cPerGroup, kh, kw }
        let inputCount = n * groups * cPerGroup * h * w
        let kernelCount = groups * outPerGroup * cPerGroup * kh * kw
        select new ConvProblem(inputShape, values[..inputCount], kernelShape, values[inputCount..(inputCount + kernelCount)],
            withBias ? values[(inputCount + kernelCount)..] : null, same ? [1, 1] : stride, padding, same, dilation, groups, mode, dtype, gradSeed);

    /// <summary>Padding per axis as (begin, end), "same" resolved as PyTorch does.</summary>
    public (int Begin, int End) Pad(int axis)
    {
        if (!Same)
            return (Padding[axis], Padding[axis]);
        var total = Dilation[axis] * (Kernel[2 + axis] - 1);
        return (total / 2, total - total / 2);
    }

    /// <summary>Whether PyTorch accepts it: the dilated kernel fits and reflect/circular padding stays within the input.</summary>
    public bool IsValid => Enumerable.Range(0, 2).All(axis =>
    {
        var (begin, end) = Pad(axis);
        var size = Input[2 + axis];
        var pad = Math.Max(begin, end);
        return Dilation[axis] * (Kernel[2 + axis] - 1) + 1 <= size + begin + end
            && (PaddingMode != "reflect" || pad < size) && (PaddingMode != "circular" || pad <= size);
    });

    /// <summary>The output's shape, by PyTorch's output-size rule.</summary>
    public int[] OutputShape => [Input[0], Kernel[0], OutputSize(0), OutputSize(1)];

    /// <summary>A value as the service computes with it: rounded to float in float32.</summary>
    public double Typed(double value) => FuzzNumbers.Typed(value, DType);

    /// <summary>The gradient of the output sent to /conv/backward; all ones when the request leaves it out.</summary>
    public double[] GradOutput() => GradSeed is { } seed ? FuzzNumbers.Drawn(seed, OutputShape.Aggregate(1, (a, b) => a * b)) : [.. Enumerable.Repeat(1.0, OutputShape.Aggregate(1, (a, b) => a * b))];

    public string ToJson(bool backward = false) =>
        $"{{\"input\":{FuzzNumbers.Flat(Input, InputData)},\"kernel\":{FuzzNumbers.Flat(Kernel, KernelData)}" +
        (Bias is null ? "" : $",\"bias\":{FuzzNumbers.Flat([Bias.Length], Bias)}") +
        $",\"stride\":[{Stride[0]},{Stride[1]}],\"padding\":{(Same ? "\"same\"" : $"[{Padding[0]},{Padding[1]}]")}" +
        $",\"dilation\":[{Dilation[0]},{Dilation[1]}],\"groups\":{Groups},\"paddingMode\":\"{PaddingMode}\",\"dtype\":\"{DType}\"" +
        (backward && GradSeed is not null ? $",\"gradOutput\":{FuzzNumbers.Flat(OutputShape, GradOutput())}" : "") + "}";

    public override string ToString() => ToJson(GradSeed is not null);

    private int OutputSize(int axis)
    {
        var (begin, end) = Pad(axis);
        return (Input[2 + axis] + begin + end - Dilation[axis] * (Kernel[2 + axis] - 1) - 1) / Stride[axis] + 1;
    }
}
