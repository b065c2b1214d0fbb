using System.Numerics;
using ConvService.Domain.Pooling;
using ConvService.Domain.Tensors;
using ConvService.Domain.Tests.Support;

namespace ConvService.Domain.Tests.Pooling;

/// <summary>
/// spatialDims 2 answers stay bit-identical to what the service answered before pooling became one N-d family.
/// Regression/pool2d-722eb1e.jsonl holds 288 seeded random 2-D calls, 24 per mode and dtype (float32, float64): ranks
/// 2–4, rows up to 40 wide, ceilMode, padding, dilation, countIncludePad, divisorOverride, normType, outputSize with
/// null entries, outputRatio, given samples and seeds, returnIndices, inputs with ties, signed zeros, infinities and
/// NaN; each with the bits of its output, indices, samples and the gradient of its backward, as the Domain of commit
/// 722eb1e computed them. scripts/pool-regression/generate.sh rebuilds the file from that commit with the generator
/// beside it (Program.cs).
/// </summary>
public class PoolRegressionTests
{
    public static TheoryData<int> Lines => [.. Enumerable.Range(0, RegressionCase.Count)];

    [Theory]
    [MemberData(nameof(Lines))]
    public void TwoDimensionalAnswersStayBitIdentical(int line)
    {
        var call = RegressionCase.Load(line);
        if (call.IsFloat32)
            Replay<float>(call, line);
        else
            Replay<double>(call, line);
    }

    private static void Replay<T>(RegressionCase call, int line) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var what = $"line {line + 1}: {call}";
        var mode = Enum.GetValues<PoolMode>().Single(m => m.WireName() == call.Mode);
        var options = call.Options();
        using var input = Tensor<T>.Wrap(call.Shape, call.Bits<T>("input")!);
        using var samples = call.Bits<T>("randomSamples") is { } s ? Tensor<T>.Wrap(call.SamplesShape!.Value, s) : null;

        var result = Pool.Forward(mode, input, options, samples);
        using var output = result.Output;
        using var used = result.Samples;

        Assert.True(call.OutputShape.Equals(output.Shape), $"{what}: output shape {output.Shape}, expected {call.OutputShape}");
        RowKernelCases.BitwiseEqual<T>(call.Bits<T>("output"), output.Span, $"{what} output");
        Assert.Equal(call.Indices, result.Indices);
        if (call.Bits<T>("samplesUsed") is { } expectedSamples)
            RowKernelCases.BitwiseEqual<T>(expectedSamples, used!.Span, $"{what} samples");

        using var gradOutput = call.Bits<T>("gradOutput") is { } g ? Tensor<T>.Wrap(call.OutputShape, g) : null;
        using var gradInput = Pool.Backward(mode, input, gradOutput, options, samples);
        RowKernelCases.BitwiseEqual<T>(call.Bits<T>("gradInput"), gradInput.Span, $"{what} gradInput");
    }
}
