using ConvService.Domain.Convolution;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;
using ConvService.Domain.Tests.Support;

namespace ConvService.Domain.Tests.Convolution;

public class Conv2dForwardTests
{
    private static readonly double[] SeedAnswer = [109, 92, 72, 108, 85, 74, 110, 74, 79];

    [Fact]
    public void Forward_ReproducesTheSeedExactly()
    {
        using var image = Seed.Tensor<double>(Seed.Image, 5, 5);
        using var kernel = Seed.Tensor<double>(Seed.Kernel, 3, 3);

        using var output = Conv.Forward(image, kernel, null, ConvOptions.Default(2));

        Assert.Equal(new TensorShape(3, 3), output.Shape);
        Assert.Equal(SeedAnswer, output.Span.ToArray());
    }

    [Fact]
    public void Forward_ReproducesTheSeedExactlyInFloat32()
    {
        using var image = Seed.Tensor<float>(Seed.Image, 1, 1, 5, 5);
        using var kernel = Seed.Tensor<float>(Seed.Kernel, 1, 1, 3, 3);

        using var output = Conv.Forward(image, kernel, null, ConvOptions.Default(2));

        Assert.Equal(new TensorShape(1, 1, 3, 3), output.Shape);
        Assert.Equal(SeedAnswer.Select(v => (float)v), output.Span.ToArray());
    }

    [Fact]
    public void Forward_MatchesNaiveReference()
    {
        var random = new Random(20261125);
        for (var trial = 0; trial < 300; trial++)
        {
            var problem = RandomConv.Draw(random);
            using var input = Tensor<double>.Wrap(problem.InputShape, problem.Input);
            using var kernel = Tensor<double>.Wrap(problem.KernelShape, problem.Kernel);
            using var bias = problem.Bias is null ? null : Tensor<double>.Wrap(new TensorShape(problem.Cout), problem.Bias);

            using var output = Conv.Forward(input, kernel, bias, problem.Options);

            Assertions.AllClose(problem.ReferenceForward(), output.Span, 1e-12, $"trial {trial}: {problem}");
        }
    }

    [Fact]
    public void Forward_InFloat32StaysWithinSinglePrecisionOfTheReference()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 50; trial++)
        {
            var problem = RandomConv.Draw(random);
            using var input = Seed.Tensor<float>(problem.Input, [.. problem.InputShape.Dims]);
            using var kernel = Seed.Tensor<float>(problem.Kernel, [.. problem.KernelShape.Dims]);

            using var output = Conv.Forward(input, kernel, null, problem.Options);

            var expected = (problem with { Bias = null }).ReferenceForward();
            Assertions.AllClose(expected, output.Span, 1e-4, $"trial {trial}: {problem}");
        }
    }

    [Theory]
    [InlineData(new[] { 5, 5 }, new[] { 3, 3 }, new[] { 3, 3 })]
    [InlineData(new[] { 2, 5, 5 }, new[] { 4, 2, 3, 3 }, new[] { 4, 3, 3 })]
    [InlineData(new[] { 3, 2, 5, 5 }, new[] { 4, 2, 3, 3 }, new[] { 3, 4, 3, 3 })]
    public void Forward_KeepsTheInputRank(int[] input, int[] kernel, int[] expected)
    {
        var geometry = ConvGeometry.Create(new TensorShape(input), new TensorShape(kernel), null, ConvOptions.Default(2));

        Assert.Equal(new TensorShape(expected), geometry.OutputShape);
    }

    [Theory]
    [InlineData(5, 3, 1, 1, 5)] // "same" keeps the size
    [InlineData(6, 4, 1, 1, 6)] // even kernel: 1 before, 2 after
    [InlineData(7, 3, 1, 3, 7)] // dilation 3: 6 in total
    public void Forward_SamePaddingKeepsTheInputSize(int size, int k, int stride, int dilation, int expected)
    {
        var options = ConvOptions.Default(2) with { Padding = ConvPadding.Same, Stride = new Spatial(stride, stride), Dilation = new Spatial(dilation, dilation) };

        var geometry = ConvGeometry.Create(new TensorShape(size, size), new TensorShape(k, k), null, options);

        Assert.Equal(new TensorShape(expected, expected), geometry.OutputShape);
    }
}
