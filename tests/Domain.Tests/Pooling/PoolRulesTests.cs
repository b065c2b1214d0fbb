using ConvService.Domain.Geometry;
using ConvService.Domain.Pooling;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Tests.Pooling;

public class PoolRulesTests
{
    private static readonly Spatial K2 = new(2, 2);

    private static ArgumentException Throws(PoolMode mode, int[] input, PoolOptions options, int[]? samples = null) =>
        Assert.ThrowsAny<ArgumentException>(() => PoolGeometry.Create(mode, new TensorShape(input), options, samples is null ? null : new TensorShape(samples)));

    private static void AssertProblem(ArgumentException error, string parameter, string message)
    {
        Assert.Equal(parameter, error.ParamName);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<PoolMode, PoolOptions, string> OptionsOfOtherModes => new()
    {
        { PoolMode.Max, new PoolOptions(KernelSize: K2, NormType: 2), "normType" },
        { PoolMode.Avg, new PoolOptions(KernelSize: K2, Dilation: K2), "dilation" },
        { PoolMode.Avg, new PoolOptions(KernelSize: K2, OutputSize: new PoolOutputSize(1, 1)), "outputSize" },
        { PoolMode.Lp, new PoolOptions(KernelSize: K2, NormType: 2, Padding: new Spatial(0, 0)), "padding" },
        { PoolMode.AdaptiveAvg, new PoolOptions(OutputSize: new PoolOutputSize(1, 1), ReturnIndices: true), "returnIndices" },
        { PoolMode.AdaptiveMax, new PoolOptions(KernelSize: K2, OutputSize: new PoolOutputSize(1, 1)), "kernelSize" },
        { PoolMode.FractionalMax, new PoolOptions(KernelSize: K2, OutputSize: new PoolOutputSize(1, 1), Stride: K2), "stride" },
    };

    [Theory]
    [MemberData(nameof(OptionsOfOtherModes))]
    public void Forward_ThrowsForAnOptionOfAnotherMode(PoolMode mode, PoolOptions options, string parameter) =>
        AssertProblem(Throws(mode, [4, 4], options), parameter, $"{parameter} does not apply to {PoolRules.NameOf(mode)} pooling");

    [Fact]
    public void Forward_ThrowsForMissingKernelSize() =>
        AssertProblem(Throws(PoolMode.Max, [4, 4], new PoolOptions()), "kernelSize", "kernelSize is required for max pooling");

    [Fact]
    public void Forward_ThrowsForPaddingOverHalfTheDilatedKernel() =>
        AssertProblem(Throws(PoolMode.Max, [5, 5], new PoolOptions(KernelSize: new Spatial(3, 3), Padding: new Spatial(0, 2))), "padding", "padding 2 must be at most half the dilated kernel 3 (1) along the width");

    [Fact]
    public void Forward_AllowsPaddingUpToHalfTheDilatedKernel() =>
        Assert.Equal(3, PoolGeometry.Create(PoolMode.Max, new TensorShape(5, 5), new PoolOptions(KernelSize: new Spatial(2, 2), Dilation: new Spatial(3, 3), Padding: new Spatial(2, 2))).OutputShape[0]);

    [Fact]
    public void Forward_ThrowsForAvgPaddingOverHalfTheKernel() =>
        AssertProblem(Throws(PoolMode.Avg, [5, 5], new PoolOptions(KernelSize: new Spatial(3, 3), Padding: new Spatial(2, 0))), "padding", "padding 2 must be at most half the kernel 3 (1) along the height");

    [Fact]
    public void Forward_ThrowsForZeroStride() =>
        AssertProblem(Throws(PoolMode.Avg, [5, 5], new PoolOptions(KernelSize: K2, Stride: new Spatial(0, 1))), "stride", "stride must be ≥ 1; got 0×1");

    [Fact]
    public void Forward_ThrowsForZeroDivisorOverride() =>
        AssertProblem(Throws(PoolMode.Avg, [5, 5], new PoolOptions(KernelSize: K2, DivisorOverride: 0)), "divisorOverride", "divisorOverride must be ≥ 1; got 0");

    [Fact]
    public void Forward_ThrowsForNonPositiveNormType() =>
        AssertProblem(Throws(PoolMode.Lp, [5, 5], new PoolOptions(KernelSize: K2, NormType: -1)), "normType", "normType must be > 0; got -1");

    [Fact]
    public void Forward_ThrowsForKernelLargerThanPaddedInput() =>
        AssertProblem(Throws(PoolMode.Max, [2, 5], new PoolOptions(KernelSize: K2, Dilation: new Spatial(2, 1))), "kernelSize", "kernel 2×2 dilated to 3×2 is larger than the padded input 2×5");

    [Fact]
    public void Forward_ThrowsForBadInputRank() =>
        AssertProblem(Throws(PoolMode.AdaptiveAvg, [5], new PoolOptions(OutputSize: new PoolOutputSize(1, 1))), "input", "input must have rank 2 (H, W), 3 (C, H, W) or 4 (N, C, H, W); got rank 1");

    [Fact]
    public void Forward_ThrowsForZeroAdaptiveOutput() =>
        AssertProblem(Throws(PoolMode.AdaptiveMax, [5, 5], new PoolOptions(OutputSize: new PoolOutputSize(0, null))), "outputSize", "outputSize must be ≥ 1; got 0×none");

    [Fact]
    public void Forward_ThrowsForAnOutputNoArrayCanHold() =>
        AssertProblem(Throws(PoolMode.AdaptiveAvg, [3, 5, 5], new PoolOptions(OutputSize: new PoolOutputSize(30000, 30000))), "outputSize", $"an output of 3 planes of 30000×30000 is more than {Array.MaxLength} elements");

    // Budgets (output elements, window reads) are the caller's: the API's Limits section sets them.
    [Theory]
    [InlineData(PoolMode.AdaptiveAvg, 5000, 0)]
    [InlineData(PoolMode.Avg, 0, 1000)]
    public void Check_LeavesOutputAndWorkBudgetsToTheCaller(PoolMode mode, int outputSize, int kernelSize)
    {
        var options = mode == PoolMode.AdaptiveAvg
            ? new PoolOptions(OutputSize: new PoolOutputSize(outputSize, outputSize))
            : new PoolOptions(KernelSize: new Spatial(kernelSize, kernelSize), Stride: new Spatial(1, 1));

        Assert.Empty(PoolRules.Check(mode, new TensorShape(3, 4000, 4000), options));
    }

    [Fact]
    public void Forward_ThrowsForFractionalWithoutOutputSizeOrRatio() =>
        AssertProblem(Throws(PoolMode.FractionalMax, [5, 5], new PoolOptions(KernelSize: K2)), "outputSize", "fractional-max pooling needs outputSize or outputRatio");

    [Fact]
    public void Forward_ThrowsForFractionalRatioOutsideTheUnitInterval() =>
        AssertProblem(Throws(PoolMode.FractionalMax, [5, 5], new PoolOptions(KernelSize: K2, OutputRatio: new PoolRatio(0.5, 1))), "outputRatio", "outputRatio must lie in (0, 1); got 0.5×1");

    [Fact]
    public void Forward_ThrowsForFractionalOutputPlusKernelBeyondTheInput() =>
        AssertProblem(Throws(PoolMode.FractionalMax, [5, 5], new PoolOptions(KernelSize: new Spatial(3, 2), OutputSize: new PoolOutputSize(4, 4))), "outputSize", "output height 4 with kernel 3 needs an input height of at least 6; got 5");

    [Fact]
    public void Forward_ThrowsForSamplesOfTheWrongShape() =>
        AssertProblem(Throws(PoolMode.FractionalMax, [3, 5, 5], new PoolOptions(KernelSize: K2, OutputSize: new PoolOutputSize(2, 2)), [1, 2]), "randomSamples", "randomSamples must have shape 3×2");

    [Fact]
    public void Forward_ThrowsForSamplesOutsideTheUnitInterval()
    {
        using var input = Tensor<double>.Zeros(new TensorShape(4, 4));
        using var samples = Tensor<double>.Filled(new TensorShape(1, 2), 1.0);

        var error = Assert.ThrowsAny<ArgumentException>(() => Pool2d.Forward(PoolMode.FractionalMax, input, new PoolOptions(KernelSize: K2, OutputSize: new PoolOutputSize(2, 2)), samples));

        Assert.Equal("randomSamples", error.ParamName);
    }

    [Fact]
    public void Backward_ThrowsForGradOutputOfAnotherShape()
    {
        using var input = Tensor<double>.Zeros(new TensorShape(4, 4));
        using var gradOutput = Tensor<double>.Zeros(new TensorShape(3, 3));

        var error = Assert.ThrowsAny<ArgumentException>(() => Pool2d.Backward(PoolMode.Avg, input, gradOutput, new PoolOptions(KernelSize: K2)));

        AssertProblem(error, "gradOutput", "gradOutput must have the output's shape 2×2; got 3×3");
    }
}
