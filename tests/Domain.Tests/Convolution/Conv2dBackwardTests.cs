using ConvService.Domain.Convolution;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;
using ConvService.Domain.Tests.Support;

namespace ConvService.Domain.Tests.Convolution;

public class Conv2dBackwardTests
{
    private static readonly double[] SeedGradInput = [4, 7, 10, 6, 3, 9, 17, 25, 16, 8, 11, 23, 34, 23, 11, 7, 16, 24, 17, 8, 2, 6, 9, 7, 3];
    private static readonly double[] SeedGradKernel = [30, 24, 19, 29, 21, 21, 30, 19, 21];

    [Fact]
    public void Backward_ReproducesTheSeedExactly()
    {
        using var image = Seed.Tensor<double>(Seed.Image, 5, 5);
        using var kernel = Seed.Tensor<double>(Seed.Kernel, 3, 3);

        using var gradients = Conv.Backward(image, kernel, null, null, ConvOptions.Default(2));

        Assert.Equal(new TensorShape(5, 5), gradients.GradInput.Shape);
        Assert.Equal(new TensorShape(3, 3), gradients.GradKernel.Shape);
        Assert.Equal(SeedGradInput, gradients.GradInput.Span.ToArray());
        Assert.Equal(SeedGradKernel, gradients.GradKernel.Span.ToArray());
        Assert.Null(gradients.GradBias);
    }

    [Fact]
    public void Backward_WithExplicitOnesEqualsBackwardWithoutGradOutput()
    {
        using var image = Seed.Tensor<float>(Seed.Image, 1, 5, 5);
        using var kernel = Seed.Tensor<float>(Seed.Kernel, 1, 1, 3, 3);
        using var bias = Seed.Tensor<float>([0.5], 1);
        using var ones = Tensor<float>.Filled(new TensorShape(1, 3, 3), 1f);

        using var implicitOnes = Conv.Backward(image, kernel, bias, null, ConvOptions.Default(2));
        using var explicitOnes = Conv.Backward(image, kernel, bias, ones, ConvOptions.Default(2));

        Assert.Equal(SeedGradInput.Select(v => (float)v), implicitOnes.GradInput.Span.ToArray());
        Assert.Equal(explicitOnes.GradKernel.Span.ToArray(), implicitOnes.GradKernel.Span.ToArray());
        Assert.Equal([9f], implicitOnes.GradBias!.Span.ToArray());
    }

    [Fact]
    public void Backward_MatchesCentralFiniteDifferences()
    {
        var random = new Random(20261126);
        var seen = new HashSet<string>();
        for (var trial = 0; trial < 60; trial++)
        {
            var problem = RandomConv.Draw(random);
            var gradOutput = Values(random, problem.ReferenceForward().Length);
            using var gradients = Backward(problem, gradOutput);

            var what = $"trial {trial}: {problem}";
            Assertions.AllClose(FiniteDifferences(problem, gradOutput, problem.Input), gradients.GradInput.Span, 1e-8, $"gradInput, {what}");
            Assertions.AllClose(FiniteDifferences(problem, gradOutput, problem.Kernel), gradients.GradKernel.Span, 1e-8, $"gradKernel, {what}");
            if (problem.Bias is not null)
                Assertions.AllClose(FiniteDifferences(problem, gradOutput, problem.Bias), gradients.GradBias!.Span, 1e-8, $"gradBias, {what}");
            Assert.Equal(problem.Bias is null, gradients.GradBias is null);
            seen.UnionWith(Features(problem));
        }
        Assert.Superset(new HashSet<string> { "Zeros", "Reflect", "Replicate", "Circular", "same", "valid", "explicit", "groups", "dilation", "stride", "unreached", "bias" }, seen);
    }

    [Fact]
    public void Backward_GivesExactlyZeroToCellsNoWindowReaches()
    {
        using var input = Seed.Tensor<double>(Seed.Image, 1, 1, 5, 5);
        using var kernel = Seed.Tensor<double>([1, 2, 3, 4], 1, 1, 2, 2);
        var options = ConvOptions.Default(2) with { Stride = new Spatial(2, 2) };

        using var gradients = Conv.Backward(input, kernel, null, null, options);

        var grad = gradients.GradInput.Span;
        for (var k = 0; k < 5; k++)
        {
            Assert.Equal(0.0, grad[4 * 5 + k]);
            Assert.Equal(0.0, grad[k * 5 + 4]);
        }
        Assert.Equal(4.0, grad[1 * 5 + 1]);
    }

    [Fact]
    public void Backward_RunTwiceGivesIdenticalResults()
    {
        var random = new Random(11);
        for (var trial = 0; trial < 20; trial++)
        {
            var problem = RandomConv.Draw(random);
            var gradOutput = Values(random, problem.ReferenceForward().Length);

            using var first = Backward(problem, gradOutput);
            using var second = Backward(problem, gradOutput);

            Assert.Equal(first.GradInput.Span.ToArray(), second.GradInput.Span.ToArray());
            Assert.Equal(first.GradKernel.Span.ToArray(), second.GradKernel.Span.ToArray());
            Assert.Equal(first.GradBias?.Span.ToArray(), second.GradBias?.Span.ToArray());
        }
    }

    [Fact]
    public void Backward_InFloat32StaysWithinSinglePrecisionOfFloat64()
    {
        var random = new Random(5);
        for (var trial = 0; trial < 30; trial++)
        {
            var problem = RandomConv.Draw(random) with { Bias = null };
            var gradOutput = Values(random, problem.ReferenceForward().Length);
            using var expected = Backward(problem, gradOutput);
            using var input = Seed.Tensor<float>(problem.Input, [.. problem.InputShape.Dims]);
            using var kernel = Seed.Tensor<float>(problem.Kernel, [.. problem.KernelShape.Dims]);
            using var grad = Seed.Tensor<float>(gradOutput, [.. OutputShape(problem).Dims]);

            using var actual = Conv.Backward(input, kernel, null, grad, problem.Options);

            Assertions.AllClose(expected.GradInput.Span, actual.GradInput.Span, 1e-4, $"gradInput, trial {trial}: {problem}");
            Assertions.AllClose(expected.GradKernel.Span, actual.GradKernel.Span, 1e-4, $"gradKernel, trial {trial}: {problem}");
        }
    }

    [Theory]
    [InlineData(new[] { 5, 5 }, new[] { 3, 3 }, new[] { 2, 3 }, "gradOutput has shape 2×3 but the forward output has shape 3×3")]
    [InlineData(new[] { 5, 5 }, new[] { 3, 3 }, new[] { 1, 3, 3 }, "gradOutput has shape 1×3×3 but the forward output has shape 3×3")]
    [InlineData(new[] { 2, 5, 5 }, new[] { 4, 2, 3, 3 }, new[] { 2, 3, 3 }, "gradOutput has shape 2×3×3 but the forward output has shape 4×3×3")]
    [InlineData(new[] { 3, 2, 5, 5 }, new[] { 4, 2, 3, 3 }, new[] { 3, 4, 3, 4 }, "gradOutput has shape 3×4×3×4 but the forward output has shape 3×4×3×3")]
    public void Backward_ThrowsForGradOutputOfAnotherShape(int[] inputShape, int[] kernelShape, int[] gradShape, string message)
    {
        using var input = Tensor<double>.Zeros(new TensorShape(inputShape));
        using var kernel = Tensor<double>.Zeros(new TensorShape(kernelShape));
        using var grad = Tensor<double>.Zeros(new TensorShape(gradShape));

        var error = Assert.Throws<ArgumentException>(() => Conv.Backward(input, kernel, null, grad, ConvOptions.Default(2)));

        Assert.Equal("gradOutput", error.ParamName);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Backward_ThrowsForKernelLargerThanPaddedInput()
    {
        using var input = Tensor<double>.Zeros(new TensorShape(2, 2));
        using var kernel = Tensor<double>.Zeros(new TensorShape(3, 3));

        var error = Assert.Throws<ArgumentException>(() => Conv.Backward(input, kernel, null, null, ConvOptions.Default(2)));

        Assert.Equal("kernel", error.ParamName);
    }

    [Theory]
    [InlineData(new[] { 5, 4 }, new[] { 2, 3 })]
    [InlineData(new[] { 2, 5, 4 }, new[] { 3, 2, 2, 3 })]
    [InlineData(new[] { 2, 2, 5, 4 }, new[] { 3, 2, 2, 3 })]
    public void Backward_GivesEachGradientTheShapeOfItsArgument(int[] inputShape, int[] kernelShape)
    {
        using var input = Tensor<double>.Filled(new TensorShape(inputShape), 1);
        using var kernel = Tensor<double>.Filled(new TensorShape(kernelShape), 1);
        using var bias = inputShape.Length == 2 ? null : Tensor<double>.Zeros(new TensorShape(kernelShape[0]));

        using var gradients = Conv.Backward(input, kernel, bias, null, ConvOptions.Default(2));

        Assert.Equal(input.Shape, gradients.GradInput.Shape);
        Assert.Equal(kernel.Shape, gradients.GradKernel.Shape);
        Assert.Equal(bias?.Shape, gradients.GradBias?.Shape);
        var planes = inputShape.Length == 4 ? inputShape[0] : 1;
        Assert.All(gradients.GradBias?.Span.ToArray() ?? [], v => Assert.Equal(planes * 4 * 2, v));
    }

    private static ConvGradients<double> Backward(RandomConv problem, double[] gradOutput)
    {
        using var input = Tensor<double>.Wrap(problem.InputShape, problem.Input);
        using var kernel = Tensor<double>.Wrap(problem.KernelShape, problem.Kernel);
        using var bias = problem.Bias is null ? null : Tensor<double>.Wrap(new TensorShape(problem.Cout), problem.Bias);
        using var grad = Tensor<double>.Wrap(OutputShape(problem), gradOutput);
        return Conv.Backward(input, kernel, bias, grad, problem.Options);
    }

    private static TensorShape OutputShape(RandomConv problem) =>
        ConvGeometry.Create(problem.InputShape, problem.KernelShape, null, problem.Options).OutputShape;

    /// <summary>∂L/∂values[k] ≈ (L(values[k] + h) − L(values[k] − h)) / 2h with L = Σ gradOutput · forward; exact up to rounding, as L is linear in each argument.</summary>
    private static double[] FiniteDifferences(RandomConv problem, double[] gradOutput, double[] values)
    {
        const double h = 1e-3;
        var result = new double[values.Length];
        for (var k = 0; k < values.Length; k++)
        {
            var saved = values[k];
            values[k] = saved + h;
            var plus = Loss(problem, gradOutput);
            values[k] = saved - h;
            var minus = Loss(problem, gradOutput);
            values[k] = saved;
            result[k] = (plus - minus) / (2 * h);
        }
        return result;
    }

    private static double Loss(RandomConv problem, double[] gradOutput)
    {
        var output = problem.ReferenceForward();
        var sum = 0.0;
        for (var i = 0; i < output.Length; i++)
            sum += output[i] * gradOutput[i];
        return sum;
    }

    private static IEnumerable<string> Features(RandomConv problem)
    {
        var geometry = ConvGeometry.Create(problem.InputShape, problem.KernelShape, null, problem.Options);
        yield return problem.Options.PaddingMode.ToString();
        yield return problem.Options.Padding.Kind switch { ConvPaddingKind.Same => "same", ConvPaddingKind.Valid => "valid", _ => "explicit" };
        if (problem.Groups > 1)
            yield return "groups";
        if (problem.Options.Dilation.Values.Any(d => d > 1))
            yield return "dilation";
        if (problem.Options.Stride.Values.Any(s => s > 1))
            yield return "stride";
        if (geometry.Axes.Any(a => (a.PaddedInput - a.DilatedKernel) % a.Stride != 0))
            yield return "unreached";
        if (problem.Bias is not null)
            yield return "bias";
    }

    private static double[] Values(Random random, int count) => [.. Enumerable.Range(0, count).Select(_ => Math.Round(random.NextDouble() * 4 - 2, 3))];
}
