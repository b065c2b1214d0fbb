using ConvService.Domain.Convolution;
using ConvService.Domain.Explanation;
using ConvService.Domain.Geometry;
using ConvService.Domain.Pooling;
using ConvService.Domain.Tensors;
using ConvService.Domain.Tests.Support;

namespace ConvService.Domain.Tests.Explanation;

/// <summary>The seed homework's worked answers (../shared/seed), cell by cell and term by term.</summary>
public class SeedExplanationTests
{
    private static readonly double[] SeedOutput = [109, 92, 72, 108, 85, 74, 110, 74, 79];

    [Fact]
    public void Forward_SeedCell00_Is109FromTheHomeworksNineTermsInKernelOrder()
    {
        using var input = Seed.Tensor<double>(Seed.Image, 5, 5);
        using var kernel = Seed.Tensor<double>(Seed.Kernel, 3, 3);
        var geometry = ConvGeometry.Create(input.Shape, kernel.Shape, null, ConvOptions.Default(2));

        var sum = ConvExplain.Output(geometry, input, kernel, null, [0, 0]);

        Assert.Equal(109, sum.Value);
        Assert.Equal([(4, 4), (5, 3), (2, 3), (3, 5), (3, 5), (2, 5), (4, 2), (3, 4), (4, 3)], sum.Terms.Select(t => (t.Left.Value, t.Right!.Value)));
        Assert.Equal([0, 0], sum.Terms[0].Left.Index.ToArray());
        Assert.Equal([2, 2], sum.Terms[^1].Right!.Index.ToArray());
        Assert.All(sum.Terms, t => Assert.False(t.Padded));
    }

    [Fact]
    public void Forward_SeedWithPadding1_Cell00Is66WithTheFivePaddedTermsMarked()
    {
        using var input = Seed.Tensor<double>(Seed.Image, 5, 5);
        using var kernel = Seed.Tensor<double>(Seed.Kernel, 3, 3);
        var options = ConvOptions.Default(2) with { Padding = ConvPadding.Explicit(new Spatial(1, 1)) };
        var geometry = ConvGeometry.Create(input.Shape, kernel.Shape, null, options);

        var sum = ConvExplain.Output(geometry, input, kernel, null, [0, 0]);

        Assert.Equal(66, sum.Value);
        Assert.Equal(5, sum.Terms.Count(t => t.Padded));
        Assert.Equal([-1, -1], sum.Terms[0].PaddedAt!.Value.ToArray());
        Assert.Equal(0, sum.Terms[0].Left.Value);
        Assert.Equal([(4, 5), (5, 5), (3, 4), (3, 3)], sum.Terms.Where(t => !t.Padded).Select(t => (t.Left.Value, t.Right!.Value)));
    }

    [Fact]
    public void Forward_ReflectPadding_ReadsTheMirroredCellAndNamesIt()
    {
        using var input = Seed.Tensor<double>(Seed.Image, 5, 5);
        using var kernel = Seed.Tensor<double>(Seed.Kernel, 3, 3);
        var options = ConvOptions.Default(2) with { Padding = ConvPadding.Explicit(new Spatial(1, 1)), PaddingMode = PaddingMode.Reflect };
        var geometry = ConvGeometry.Create(input.Shape, kernel.Shape, null, options);
        using var output = Conv.Forward(geometry, input, kernel, null);

        var sum = ConvExplain.Output(geometry, input, kernel, null, [0, 0]);

        // Padded (−1, −1) mirrors about row 0 and column 0 onto input[1][1] = 3.
        Assert.Equal([1, 1], sum.Terms[0].Left.Index.ToArray());
        Assert.Equal(3, sum.Terms[0].Left.Value);
        Assert.Equal(output.Span[0], sum.Value);
    }

    [Fact]
    public void GradInput_SeedCell11_Is17FromFourOutputCells()
    {
        using var kernel = Seed.Tensor<double>(Seed.Kernel, 3, 3);
        var geometry = ConvGeometry.Create(new TensorShape(5, 5), kernel.Shape, null, ConvOptions.Default(2));

        var sum = ConvExplain.GradInput(geometry, kernel, null, [1, 1]);

        Assert.Equal(17, sum.Value);
        Assert.Equal([[0, 0], [0, 1], [1, 0], [1, 1]], sum.Terms.Select(t => t.Left.Index.ToArray()));
        Assert.Equal([5, 5, 3, 4], sum.Terms.Select(t => t.Right!.Value));
    }

    [Fact]
    public void GradKernel_SeedCell00_Is30_TheSumOfTheTopLeftWindow()
    {
        using var input = Seed.Tensor<double>(Seed.Image, 5, 5);
        var geometry = ConvGeometry.Create(input.Shape, new TensorShape(3, 3), null, ConvOptions.Default(2));

        var sum = ConvExplain.GradKernel(geometry, input, null, [0, 0]);

        Assert.Equal(30, sum.Value);
        Assert.Equal(9, sum.Terms.Count);
        Assert.Equal([4, 5, 2, 3, 3, 2, 4, 3, 4], sum.Terms.Select(t => t.Left.Value));
    }

    [Fact]
    public void MaxPool_SeedCCell10_Is110_WonByTheCellBelowTheCorner()
    {
        using var c = Seed.Tensor<double>(SeedOutput, 3, 3);
        var geometry = PoolGeometry.Create(PoolMode.Max, c.Shape, new PoolOptions(KernelSize: new Spatial(2, 2), Stride: new Spatial(1, 1)));

        var explained = PoolExplain.Output(geometry, c, null, [1, 0]);

        Assert.Equal(110, explained.Value);
        Assert.Equal([108, 85, 110, 74], explained.Cells.Select(x => x.Value));
        Assert.Equal([2, 0], explained.Cells[explained.Winner].Index.ToArray());
        Assert.Equal(6, explained.WinnerOffset);
    }

    [Fact]
    public void AvgPool_SeedCCell00_Is98Point5_394Over4()
    {
        using var c = Seed.Tensor<double>(SeedOutput, 3, 3);
        var geometry = PoolGeometry.Create(PoolMode.Avg, c.Shape, new PoolOptions(KernelSize: new Spatial(2, 2), Stride: new Spatial(1, 1)));

        var explained = PoolExplain.Output(geometry, c, null, [0, 0]);

        Assert.Equal(98.5, explained.Value);
        Assert.Equal(394, explained.Sum);
        Assert.Equal(4, explained.Divisor);
    }

    [Fact]
    public void MaxPoolGradient_SeedC_GoesOnlyWhereEachWindowsMaximumIs()
    {
        using var c = Seed.Tensor<double>(SeedOutput, 3, 3);
        var geometry = PoolGeometry.Create(PoolMode.Max, c.Shape, new PoolOptions(KernelSize: new Spatial(2, 2), Stride: new Spatial(1, 1)));
        using var expected = Pool.Backward(geometry, c, null, null);

        var corner = PoolExplain.GradInput(geometry, c, null, null, [0, 0]);
        var middle = PoolExplain.GradInput(geometry, c, null, null, [1, 1]);

        Assert.Equal(1, corner.Value);
        Assert.Equal(expected.Span[4], middle.Value);
        Assert.Equal(4, middle.Shares.Count);
        Assert.Equal([false, false, false, true], middle.Shares.Select(s => s.Sends));
    }
}
