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
}
