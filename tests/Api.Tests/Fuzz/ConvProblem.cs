using System.Globalization;
using CsCheck;

namespace ConvService.Api.Tests.Fuzz;

/// <summary>A valid convolution request in NCHW, generated small enough for the naive reference.</summary>
public sealed record ConvProblem(int[] Input, double[] InputData, int[] Kernel, double[] KernelData, double[]? Bias,
    int[] Stride, int[] Padding, bool Same, int[] Dilation, int Groups, string PaddingMode)
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
        from values in CsCheck.Gen.Int[-9, 9].Select(i => i / 4.0).Array[n * groups * cPerGroup * h * w + groups * outPerGroup * cPerGroup * kh * kw + groups * outPerGroup]
        let inputShape = new[] { n, groups * cPerGroup, h, w }
        let kernelShape = new[] { groups * outPerGroup, cPerGroup, kh, kw }
        let inputCount = n * groups * cPerGroup * h * w
        let kernelCount = groups * outPerGroup * cPerGroup * kh * kw
        select new ConvProblem(inputShape, values[..inputCount], kernelShape, values[inputCount..(inputCount + kernelCount)],
            withBias ? values[(inputCount + kernelCount)..] : null, same ? [1, 1] : stride, padding, same, dilation, groups, mode);

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

    public string ToJson() =>
        $"{{\"input\":{Flat(Input, InputData)},\"kernel\":{Flat(Kernel, KernelData)}" +
        (Bias is null ? "" : $",\"bias\":{Flat([Bias.Length], Bias)}") +
        $",\"stride\":[{Stride[0]},{Stride[1]}],\"padding\":{(Same ? "\"same\"" : $"[{Padding[0]},{Padding[1]}]")}" +
        $",\"dilation\":[{Dilation[0]},{Dilation[1]}],\"groups\":{Groups},\"paddingMode\":\"{PaddingMode}\"}}";

    public override string ToString() => ToJson();

    private static string Flat(int[] shape, double[] data) =>
        $"{{\"shape\":[{string.Join(',', shape)}],\"data\":[{string.Join(',', data.Select(d => d.ToString("R", CultureInfo.InvariantCulture)))}]}}";
}
