using ConvService.Domain.Geometry;

namespace ConvService.Domain.Tests.Geometry;

public class OutputSizeTests
{
    [Theory]
    [InlineData(5, 0, 3, 1, false, 3)]
    [InlineData(5, 0, 2, 2, false, 2)]
    [InlineData(5, 0, 2, 2, true, 3)]
    [InlineData(5, 1, 2, 2, true, 3)] // the fourth window would start at 6 ≥ 5 + 1, in the end padding: dropped
    [InlineData(2, 0, 3, 3, false, 0)]
    [InlineData(2, 0, 3, 3, true, 1)] // ceil keeps a window that overhangs the input by less than a stride, as PyTorch
    [InlineData(2, 0, 5, 3, true, 0)]
    public void Of_FollowsPyTorchsPoolingRule(int input, int pad, int kernel, int stride, bool ceil, int expected) =>
        Assert.Equal(expected, OutputSize.Of(input, pad, pad, kernel, stride, 1, ceil));
}
