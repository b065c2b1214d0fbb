using ConvService.Domain.Convolution;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;
using ConvService.Domain.Tests.Support;

namespace ConvService.Domain.Tests.Convolution;

/// <summary>Transposed convolution in 1, 2 and 3 spatial dimensions against a scattering reference, its gradients, and PyTorch's rules.</summary>
public class ConvTransposeTests
{
    public static TheoryData<int> Dims => [1, 2, 3];

    [Theory]
    [MemberData(nameof(Dims))]
    public void Forward_MatchesTheScatteringReference(int d)
    {
        var random = new Random(2200 + d);
        for (var trial = 0; trial < 150; trial++)
        {
            var problem = TransposeCase.Draw(random, d, d == 3 ? 4 : 7);
            var (x, w, b) = (ConvNdTests.Values(random, problem.InputLength), ConvNdTests.Values(random, problem.KernelLength), random.Next(2) == 0 ? null : ConvNdTests.Values(random, problem.Cout));

            using var output = Forward(problem, x, w, b);

            Assert.Equal(problem.OutputShape, output.Shape);
            Assertions.AllClose(problem.Reference(x, w, b).Output, output.Span, 1e-12, $"trial {trial}: {problem}");
        }
    }

    [Theory]
    [MemberData(nameof(Dims))]
    public void Backward_MatchesCentralFiniteDifferences(int d)
    {
        var random = new Random(2300 + d);
        for (var trial = 0; trial < (d == 3 ? 20 : 40); trial++)
        {
            var problem = TransposeCase.Draw(random, d, d == 3 ? 3 : 6);
            var (x, w, b) = (ConvNdTests.Values(random, problem.InputLength), ConvNdTests.Values(random, problem.KernelLength), ConvNdTests.Values(random, problem.Cout));
            var gy = ConvNdTests.Values(random, problem.OutputLength);

            using var gradients = Backward(problem, x, w, b, gy);

            double Loss() => ConvNdTests.Dot(problem.Reference(x, w, b).Output, gy);
            var what = $"trial {trial}: {problem}";
            Assertions.AllClose(FiniteDifferences.Of(Loss, x), gradients.GradInput.Span, 1e-8, $"gradInput, {what}");
            Assertions.AllClose(FiniteDifferences.Of(Loss, w), gradients.GradKernel.Span, 1e-8, $"gradKernel, {what}");
            Assertions.AllClose(FiniteDifferences.Of(Loss, b), gradients.GradBias!.Span, 1e-8, $"gradBias, {what}");
        }
    }

    [Fact]
    public void Forward_IsTheInputGradientOfTheConvolutionItTransposes()
    {
        // conv2d(x: 1×3×9×8, w: 4×3×3×2, stride 2, padding 1, dilation (1, 2)) → 1×4×5×4; its gradInput for gy is conv_transpose2d(gy, w).
        var random = new Random(5);
        var (x, w, gy) = (ConvNdTests.Values(random, 3 * 9 * 8), ConvNdTests.Values(random, 4 * 3 * 3 * 2), ConvNdTests.Values(random, 4 * 5 * 4));
        var convolution = ConvOptions.Default(2) with { Stride = new Spatial(2, 2), Padding = ConvPadding.Explicit(new Spatial(1, 1)), Dilation = new Spatial(1, 2) };
        using var input = Tensor<double>.Wrap(new TensorShape(1, 3, 9, 8), x);
        using var kernel = Tensor<double>.Wrap(new TensorShape(4, 3, 3, 2), w);
        using var grad = Tensor<double>.Wrap(new TensorShape(1, 4, 5, 4), gy);

        using var gradients = Conv.Backward(input, kernel, null, grad, convolution);
        using var transposed = ConvTranspose.Forward(grad, kernel, null, new ConvTransposeOptions(2, new Spatial(2, 2), new Spatial(1, 1), new Spatial(1, 2), 1, OutputSize: new Spatial(9, 8)));

        Assertions.AllClose(gradients.GradInput.Span, transposed.Span, 1e-12, "conv_transpose2d(gy, w) against conv2d's gradInput");
    }

    [Fact]
    public void Forward_GivesOutputPaddingCellsOnlyTheBias()
    {
        // A 1-wide kernel at stride 2 with output padding 1: the last cell lies past every window.
        using var input = Tensor<double>.Wrap(new TensorShape(1, 2), new double[] { 3, 5 });
        using var kernel = Tensor<double>.Wrap(new TensorShape(1, 1, 1), new double[] { 2 });
        using var bias = Tensor<double>.Wrap(new TensorShape(1), new double[] { 0.5 });

        using var output = ConvTranspose.Forward(input, kernel, bias, ConvTransposeOptions.Default(1) with { Stride = new Spatial(2), OutputPadding = new Spatial(1) });

        Assert.Equal([6.5, 0.5, 10.5, 0.5], output.Span.ToArray());
    }

    [Theory]
    [InlineData(new[] { 1, 4, 4 }, new[] { 1, 1, 3, 3 }, 1, 1, 0, 1, null, "outputPadding", "outputPadding 1 of the height must be smaller than its stride 1 or its dilation 1")]
    [InlineData(new[] { 1, 4, 4 }, new[] { 1, 1, 3, 3 }, 2, 3, 0, 3, null, "outputPadding", "outputPadding 3 of the height must be smaller than its stride 2 or its dilation 3")]
    [InlineData(new[] { 1, 4, 4 }, new[] { 1, 1, 3, 3 }, 2, 1, 1, null, 10, "outputSize", "outputSize 10 of the height is outside [7, 8]")]
    [InlineData(new[] { 1, 4, 4 }, new[] { 1, 1, 3, 3 }, 2, 1, 1, null, 6, "outputSize", "outputSize 6 of the height is outside [7, 8]")]
    [InlineData(new[] { 1, 4, 4 }, new[] { 1, 1, 3, 3 }, 2, 1, 1, 0, 7, "outputSize", "send outputSize or outputPadding, not both")]
    [InlineData(new[] { 1, 2, 2 }, new[] { 1, 1, 1, 1 }, 1, 1, 1, null, null, "padding", "the output height (2 − 1)·1 − 2·1 + 1·(1 − 1) + 1 = 0 is less than 1")]
    [InlineData(new[] { 2, 4, 4 }, new[] { 3, 1, 3, 3 }, 1, 1, 0, null, null, "kernel", "kernel has 3 input channels (dimension 0), but the input has 2 channels")]
    public void Forward_ThrowsForWhatPyTorchRefuses(int[] input, int[] kernel, int stride, int dilation, int padding, int? outputPadding, int? outputSize, string parameter, string message)
    {
        var options = new ConvTransposeOptions(2, Spatial.Repeat(stride, 2), Spatial.Repeat(padding, 2), Spatial.Repeat(dilation, 2), 1,
            outputPadding is { } p ? Spatial.Repeat(p, 2) : null, outputSize is { } s ? Spatial.Repeat(s, 2) : null);

        var error = Assert.ThrowsAny<ArgumentException>(() => ConvTransposeGeometry.Create(new TensorShape(input), new TensorShape(kernel), null, options));

        Assert.Equal(parameter, error.ParamName);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Backward_ThrowsForGradOutputOfAnotherShape()
    {
        using var input = Tensor<double>.Zeros(new TensorShape(1, 3, 3));
        using var kernel = Tensor<double>.Zeros(new TensorShape(1, 1, 2, 2));
        using var grad = Tensor<double>.Zeros(new TensorShape(1, 3, 3));

        var error = Assert.Throws<ArgumentException>(() => ConvTranspose.Backward(input, kernel, null, grad, ConvTransposeOptions.Default(2)));

        Assert.Equal("gradOutput", error.ParamName);
        Assert.StartsWith("gradOutput has shape 1×3×3 but the forward output has shape 1×4×4", error.Message, StringComparison.Ordinal);
    }

    private static Tensor<double> Forward(TransposeCase problem, double[] x, double[] w, double[]? b)
    {
        using var input = Tensor<double>.Wrap(problem.InputShape, x);
        using var kernel = Tensor<double>.Wrap(problem.KernelShape, w);
        using var bias = b is null ? null : Tensor<double>.Wrap(new TensorShape(b.Length), b);
        return ConvTranspose.Forward(input, kernel, bias, problem.Options);
    }

    private static ConvGradients<double> Backward(TransposeCase problem, double[] x, double[] w, double[] b, double[] gy)
    {
        using var input = Tensor<double>.Wrap(problem.InputShape, x);
        using var kernel = Tensor<double>.Wrap(problem.KernelShape, w);
        using var bias = Tensor<double>.Wrap(new TensorShape(b.Length), b);
        using var grad = Tensor<double>.Wrap(problem.OutputShape, gy);
        return ConvTranspose.Backward(input, kernel, bias, grad, problem.Options);
    }
}
