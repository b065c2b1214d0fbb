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
        AssertProblem(Throws(mode, [4, 4], options), parameter, $"{parameter} does not apply to {mode.WireName()} pooling");

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
    public void Forward_ThrowsForBadInputRankNamingTheSpatialDimsItFits() =>
        AssertProblem(Throws(PoolMode.AdaptiveAvg, [5], new PoolOptions(OutputSize: new PoolOutputSize(1, 1))), "input", "input must have rank 2 (H, W), 3 (C, H, W) or 4 (N, C, H, W) for spatialDims 2; got rank 1 (5): for a 1-D single-line pooling send spatialDims 1");

    [Fact]
    public void Forward_ThrowsForARank5InputIn2D() =>
        AssertProblem(Throws(PoolMode.Max, [1, 2, 3, 4, 5], new PoolOptions(KernelSize: K2)), "input", "input must have rank 2 (H, W), 3 (C, H, W) or 4 (N, C, H, W) for spatialDims 2; got rank 5 (1×2×3×4×5): for a 3-D batched pooling send spatialDims 3");

    [Fact]
    public void Forward_ThrowsForARank4InputIn1D() =>
        AssertProblem(Throws(PoolMode.Avg, [1, 2, 3, 4], new PoolOptions(KernelSize: new Spatial(2), SpatialDims: 1)), "input", "input must have rank 1 (L), 2 (C, L) or 3 (N, C, L) for spatialDims 1; got rank 4 (1×2×3×4): for a 2-D batched pooling send spatialDims 2; for a 3-D unbatched pooling send spatialDims 3");

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void Forward_ThrowsForSpatialDimsOutsideOneToThree(int dims) =>
        AssertProblem(Throws(PoolMode.Max, [4, 4], new PoolOptions(KernelSize: K2, SpatialDims: dims)), "spatialDims", $"spatialDims must be 1 (L), 2 (H, W) or 3 (D, H, W); got {dims}");

    [Fact]
    public void Forward_ThrowsForOneDimensionalFractionalMax() =>
        AssertProblem(Throws(PoolMode.FractionalMax, [2, 9], new PoolOptions(KernelSize: new Spatial(2), OutputSize: new PoolOutputSize(3), SpatialDims: 1)), "spatialDims", "fractional-max pooling has no 1-D form");

    [Fact]
    public void Forward_ThrowsForDivisorOverrideIn1D() =>
        AssertProblem(Throws(PoolMode.Avg, [2, 9], new PoolOptions(KernelSize: new Spatial(2), DivisorOverride: 3, SpatialDims: 1)), "divisorOverride", "divisorOverride does not apply to 1-D avg pooling (PyTorch's avg_pool1d has none)");

    [Fact]
    public void Forward_ThrowsForANullAdaptiveSizeIn1D() =>
        AssertProblem(Throws(PoolMode.AdaptiveMax, [2, 9], new PoolOptions(OutputSize: new PoolOutputSize([null]), SpatialDims: 1)), "outputSize", "outputSize of 1-D adaptive pooling must be an integer ≥ 1");

    [Fact]
    public void Forward_ThrowsForAListOfAnotherDimensionalityNamingIt() =>
        AssertProblem(Throws(PoolMode.Max, [4, 4, 4], new PoolOptions(KernelSize: K2, SpatialDims: 3)), "kernelSize", "kernelSize has 2 entries but spatialDims 3 needs one integer or 3 (D, H, W): for a 2-D call send spatialDims 2");

    [Fact]
    public void Forward_ThrowsForAnAdaptiveSizeOfAnotherDimensionality() =>
        AssertProblem(Throws(PoolMode.AdaptiveAvg, [4, 4], new PoolOptions(OutputSize: new PoolOutputSize(1, 2, 3))), "outputSize", "outputSize has 3 entries but spatialDims 2 needs one integer or 2 (H, W): for a 3-D call send spatialDims 3");

    [Theory]
    [InlineData(1, new[] { 9 }, "length", "max_pool1d")]
    [InlineData(3, new[] { 9, 9, 9 }, "depth", "max_pool3d")]
    public void Forward_ThrowsForMaxPaddingOverHalfTheUndilatedKernelIn1DAnd3D(int dims, int[] input, string axis, string function) =>
        AssertProblem(
            Throws(PoolMode.Max, input, new PoolOptions(KernelSize: Spatial.Repeat(2, dims), Dilation: Spatial.Repeat(3, dims), Padding: Spatial.Repeat(2, dims), SpatialDims: dims)),
            "padding",
            $"padding 2 must be at most half the kernel 2 (1) along the {axis} (PyTorch's {function} checks the undilated kernel)");

    [Theory]
    [InlineData(PoolMode.Avg)]
    [InlineData(PoolMode.Lp)]
    public void Forward_ThrowsFor3DAvgAndLpKernelsLargerThanTheUnpaddedInput(PoolMode mode)
    {
        var options = mode == PoolMode.Avg
            ? new PoolOptions(KernelSize: Spatial.Repeat(3, 3), Padding: Spatial.Repeat(1, 3), SpatialDims: 3)
            : new PoolOptions(KernelSize: Spatial.Repeat(3, 3), NormType: 2, CeilMode: true, Stride: Spatial.Repeat(2, 3), SpatialDims: 3);

        AssertProblem(Throws(mode, [2, 4, 4], options), "kernelSize", "kernel 3×3×3 is larger than the input 2×4×4 along the depth: PyTorch's avg_pool3d");
    }

    [Fact]
    public void Forward_AllowsA1DCeilModeLpKernelLargerThanTheInput() =>
        Assert.Equal(1, PoolGeometry.Create(PoolMode.Lp, new TensorShape(3), new PoolOptions(KernelSize: new Spatial(4), Stride: new Spatial(3), NormType: 1, CeilMode: true, SpatialDims: 1)).OutputShape[0]);

    [Fact]
    public void Forward_ThrowsFor3DFractionalOutputPlusKernelReachingTheInput() =>
        AssertProblem(
            Throws(PoolMode.FractionalMax, [5, 5, 5], new PoolOptions(KernelSize: Spatial.Repeat(2, 3), OutputSize: new PoolOutputSize(4, 2, 2), SpatialDims: 3)),
            "outputSize",
            "output depth 4 with kernel 2 needs an input depth of at least 6 (fractional_max_pool3d needs O + K − 1 < I); got 5");

    [Fact]
    public void Forward_Allows2DFractionalOutputPlusKernelEqualToTheInputPlusOne() =>
        Assert.Equal(new TensorShape(4, 4), PoolGeometry.Create(PoolMode.FractionalMax, new TensorShape(5, 5), new PoolOptions(KernelSize: K2, OutputSize: new PoolOutputSize(4, 4))).OutputShape);

    [Fact]
    public void Forward_ThrowsFor3DSamplesOfThe2DShape() =>
        AssertProblem(
            Throws(PoolMode.FractionalMax, [5, 5, 5], new PoolOptions(KernelSize: Spatial.Repeat(2, 3), OutputSize: new PoolOutputSize(2, 2, 2), SpatialDims: 3), [1, 2]),
            "randomSamples",
            "randomSamples must have shape 1×3 (one (depth, height, width) triple per plane) for an input 5×5×5; got 1×2: 2 samples per plane fit spatialDims 2");

    [Fact]
    public void Forward_ThrowsForZeroAdaptiveOutput() =>
        AssertProblem(Throws(PoolMode.AdaptiveMax, [5, 5], new PoolOptions(OutputSize: new PoolOutputSize(0, null))), "outputSize", "outputSize must be ≥ 1; got 0×none");

    [Fact]
    public void Forward_ThrowsForAnOutputNoTensorCanHold() =>
        AssertProblem(Throws(PoolMode.AdaptiveAvg, [3, 5, 5], new PoolOptions(OutputSize: new PoolOutputSize(50000, 50000))), "outputSize", "the output 3×50000×50000 would hold 7500000000 elements, more than one tensor can (2147483591)");

    [Fact]
    public void Geometry_LeavesBudgetsToTheCallerAndCountsTheWindowReads()
    {
        // 3001×3001 windows of 1000×1000 cells: far beyond any service budget, but a budget is the caller's to set.
        var sliding = PoolGeometry.Create(PoolMode.Avg, new TensorShape(2, 4000, 4000), new PoolOptions(KernelSize: new Spatial(1000, 1000), Stride: new Spatial(1, 1)));
        var adaptive = PoolGeometry.Create(PoolMode.AdaptiveMax, new TensorShape(10, 6), new PoolOptions(OutputSize: new PoolOutputSize(4, 4)));
        var fractional = PoolGeometry.Create(PoolMode.FractionalMax, new TensorShape(3, 9, 9, 9), new PoolOptions(KernelSize: Spatial.Repeat(2, 3), OutputSize: new PoolOutputSize(4, 4, 4), SpatialDims: 3));

        Assert.Equal(2L * 3001 * 1000 * 3001 * 1000, sliding.WindowReads);
        // Adaptive windows of 10 → 4: [0,3) [2,5) [5,8) [7,10), 12 reads = 10 + 4 − gcd 2; of 6 → 4: [0,2) [1,3) [3,5) [4,6), 8 = 6 + 4 − 2.
        Assert.Equal(12L * 8, adaptive.WindowReads);
        Assert.Equal(3L * 8 * 8 * 8, fractional.WindowReads);
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

        var error = Assert.ThrowsAny<ArgumentException>(() => Pool.Forward(PoolMode.FractionalMax, input, new PoolOptions(KernelSize: K2, OutputSize: new PoolOutputSize(2, 2)), samples));

        Assert.Equal("randomSamples", error.ParamName);
    }

    [Fact]
    public void Backward_ThrowsForGradOutputOfAnotherShape()
    {
        using var input = Tensor<double>.Zeros(new TensorShape(4, 4));
        using var gradOutput = Tensor<double>.Zeros(new TensorShape(3, 3));

        var error = Assert.ThrowsAny<ArgumentException>(() => Pool.Backward(PoolMode.Avg, input, gradOutput, new PoolOptions(KernelSize: K2)));

        AssertProblem(error, "gradOutput", "gradOutput must have the output's shape 2×2; got 3×3");
    }
}
