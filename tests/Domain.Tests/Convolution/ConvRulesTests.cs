using ConvService.Domain.Convolution;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Tests.Convolution;

public class ConvRulesTests
{
    private static readonly ConvOptions Defaults = ConvOptions.Default(2);

    private static ArgumentException Throws(int[] input, int[] kernel, ConvOptions options, int[]? bias = null) =>
        Assert.ThrowsAny<ArgumentException>(() => ConvGeometry.Create(new TensorShape(input), new TensorShape(kernel), bias is null ? null : new TensorShape(bias), options));

    [Fact]
    public void Forward_ThrowsForKernelLargerThanPaddedInput()
    {
        var error = Throws([4, 4], [3, 3], Defaults with { Dilation = new Spatial(2, 2) });

        Assert.Equal("kernel", error.ParamName);
        Assert.StartsWith("kernel 3×3 dilated to 5×5 is larger than the padded input 4×4", error.Message);
    }

    [Fact]
    public void Forward_ThrowsForZeroStride()
    {
        var error = Throws([5, 5], [3, 3], Defaults with { Stride = new Spatial(0, 1) });

        Assert.Equal("stride", error.ParamName);
        Assert.Contains("≥ 1", error.Message);
    }

    [Fact]
    public void Forward_ThrowsForZeroDilation()
    {
        Assert.Equal("dilation", Throws([5, 5], [3, 3], Defaults with { Dilation = new Spatial(1, 0) }).ParamName);
    }

    [Fact]
    public void Forward_ThrowsForNegativePadding()
    {
        Assert.Equal("padding", Throws([5, 5], [3, 3], Defaults with { Padding = ConvPadding.Explicit(new Spatial(-1, 0)) }).ParamName);
    }

    [Fact]
    public void Forward_ThrowsForGroupsThatDoNotDivideTheChannels()
    {
        var error = Throws([3, 5, 5], [4, 1, 3, 3], Defaults with { Groups = 2 });

        Assert.Equal("groups", error.ParamName);
        Assert.StartsWith("groups 2 does not divide the 3 input channels", error.Message);
    }

    [Fact]
    public void Forward_ThrowsForKernelChannelsThatDoNotMatchTheGroups()
    {
        var error = Throws([4, 5, 5], [2, 4, 3, 3], Defaults with { Groups = 2 });

        Assert.Equal("kernel", error.ParamName);
        Assert.Contains("4 channels / 2 groups = 2", error.Message);
    }

    [Fact]
    public void Forward_ThrowsForSamePaddingWithStride()
    {
        var error = Throws([5, 5], [3, 3], Defaults with { Padding = ConvPadding.Same, Stride = new Spatial(2, 2) });

        Assert.Equal("padding", error.ParamName);
        Assert.Contains("stride 1", error.Message);
    }

    [Fact]
    public void Forward_ThrowsForReflectPaddingNotSmallerThanTheInput()
    {
        var error = Throws([3, 3], [3, 3], Defaults with { Padding = ConvPadding.Explicit(new Spatial(3, 3)), PaddingMode = PaddingMode.Reflect });

        Assert.Equal("padding", error.ParamName);
        Assert.StartsWith("reflect padding 3 must be smaller than the input height 3", error.Message);
    }

    [Fact]
    public void Forward_ThrowsForCircularPaddingLargerThanTheInput()
    {
        Assert.Equal("padding", Throws([3, 3], [3, 3], Defaults with { Padding = ConvPadding.Explicit(new Spatial(4, 4)), PaddingMode = PaddingMode.Circular }).ParamName);
    }

    [Fact]
    public void Forward_ThrowsForBiasOfTheWrongLength()
    {
        var error = Throws([2, 5, 5], [4, 2, 3, 3], Defaults, bias: [3]);

        Assert.Equal("bias", error.ParamName);
        Assert.Contains("4 values", error.Message);
    }

    [Theory]
    [InlineData(new[] { 5 }, new[] { 3 }, "input")]
    [InlineData(new[] { 1, 1, 1, 5, 5 }, new[] { 3, 3 }, "input")]
    [InlineData(new[] { 5, 5 }, new[] { 1, 1, 3, 3 }, "kernel")]
    [InlineData(new[] { 1, 5, 5 }, new[] { 3, 3 }, "kernel")]
    [InlineData(new[] { 0, 5 }, new[] { 3, 3 }, "input")]
    public void Forward_ThrowsForRanksAndEmptyDimensions(int[] input, int[] kernel, string parameter)
    {
        Assert.Equal(parameter, Throws(input, kernel, Defaults).ParamName);
    }

    [Fact]
    public void Check_ReportsEveryBrokenRuleAtOnce()
    {
        var problems = ConvRules.Check(new TensorShape(5, 5), new TensorShape(3, 3), null, Defaults with { Stride = new Spatial(0, 0), Dilation = new Spatial(0, 0), Groups = 0 });

        Assert.Equal(["stride", "dilation", "groups"], problems.Select(p => p.Parameter));
    }

    [Theory]
    [InlineData(2, new[] { 2, 3, 8 }, new[] { 4, 3, 3 }, "kernel", "input has rank 3 and kernel rank 3: for a 1-D batched convolution send spatialDims 1; for a 3-D single-volume convolution send spatialDims 3")]
    [InlineData(2, new[] { 1, 1, 4, 4, 4 }, new[] { 1, 1, 3, 3, 3 }, "input", "input must have rank 2 (H, W), 3 (C, H, W) or 4 (N, C, H, W) for spatialDims 2; got rank 5 (1×1×4×4×4): for a 3-D batched convolution send spatialDims 3")]
    [InlineData(1, new[] { 4, 4 }, new[] { 3, 3 }, "kernel", "input has rank 2 and kernel rank 2: for a 2-D single-plane convolution send spatialDims 2")]
    [InlineData(3, new[] { 4, 4, 4 }, new[] { 2, 3, 3, 3 }, "kernel", "input has rank 3 and kernel rank 4: for a 2-D unbatched convolution send spatialDims 2 (kernel must have rank 3 (kD, kH, kW)")]
    [InlineData(3, new[] { 1, 4, 4, 4 }, new[] { 3, 3, 3 }, "kernel", "kernel must have rank 5 (Cout, C/groups, kD, kH, kW) for a rank-4 input with spatialDims 3; got rank 3 (3×3×3)")]
    public void Forward_ThrowsForRanksThatDoNotFitSpatialDimsAndSaysWhichWould(int d, int[] input, int[] kernel, string parameter, string message)
    {
        var error = Throws(input, kernel, ConvOptions.Default(d));

        Assert.Equal(parameter, error.ParamName);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forward_ThrowsForAListThatIsNotOnePerAxis()
    {
        var error = Throws([5, 5], [3, 3], Defaults with { Stride = new Spatial(1, 1, 1) });

        Assert.Equal("stride", error.ParamName);
        Assert.StartsWith("stride has 3 entries but spatialDims 2 needs one integer or 2 (H, W): for a 3-D call send spatialDims 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forward_ThrowsForSpatialDimsOutsideOneToThree()
    {
        Assert.Equal("spatialDims", Throws([5, 5], [3, 3], ConvOptions.Default(2) with { SpatialDims = 4 }).ParamName);
    }

    [Fact]
    public void Forward_ThrowsForSamePaddingWithStrideAndNamesSameUpper()
    {
        var error = Throws([8], [3], ConvOptions.Default(1) with { Padding = ConvPadding.Same, Stride = new Spatial(2) });

        Assert.Equal("padding", error.ParamName);
        Assert.Contains("\"same-upper\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forward_ThrowsForA3dKernelLargerThanThePaddedVolume()
    {
        var error = Throws([4, 4, 4], [3, 3, 3], ConvOptions.Default(3) with { Dilation = new Spatial(2, 2, 2) });

        Assert.Equal("kernel", error.ParamName);
        Assert.StartsWith("kernel 3×3×3 dilated to 5×5×5 is larger than the padded input 4×4×4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forward_ThrowsForAsymmetricReflectPaddingNotSmallerThanTheLength()
    {
        var error = Throws([3], [2], ConvOptions.Default(1) with { Padding = ConvPadding.Explicit(new Spatial(0), new Spatial(3)), PaddingMode = PaddingMode.Reflect });

        Assert.Equal("padding", error.ParamName);
        Assert.StartsWith("reflect padding 3 must be smaller than the input length 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forward_ThrowsForNegativeAsymmetricPadding()
    {
        var error = Throws([5, 5], [3, 3], Defaults with { Padding = ConvPadding.Explicit(new Spatial(1, 0), new Spatial(1, -1)) });

        Assert.Equal("padding", error.ParamName);
        Assert.StartsWith("padding must be ≥ 0; got [1, 1]×[0, -1]", error.Message, StringComparison.Ordinal);
    }
}
