using ConvService.Domain.Convolution;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;
using ConvService.Domain.Tests.Support;

namespace ConvService.Domain.Tests.Convolution;

/// <summary>Convolution in 1, 2 and 3 spatial dimensions, every form, padding kind and mode, against <see cref="NdReference"/>.</summary>
public class ConvNdTests
{
    public static TheoryData<int> Dims => [1, 2, 3];

    [Theory]
    [MemberData(nameof(Dims))]
    public void Forward_MatchesNaiveReference(int d)
    {
        var random = new Random(1200 + d);
        var seen = new HashSet<string>();
        for (var trial = 0; trial < 200; trial++)
        {
            var problem = ConvCase.Draw(random, d, MaxSize(d));
            var (x, w, b) = (Values(random, problem.InputLength), Values(random, problem.KernelLength), random.Next(2) == 0 ? null : Values(random, problem.Cout));

            using var output = Forward(problem, x, w, b);

            Assert.Equal(problem.OutputShape, output.Shape);
            Assertions.AllClose(NdReference.Conv(problem, x, w, b), output.Span, 1e-12, $"trial {trial}: {problem}");
            seen.UnionWith(Features(problem));
        }
        Assert.Superset(AllFeatures, seen);
    }

    [Theory]
    [MemberData(nameof(Dims))]
    public void Forward_InFloat32StaysWithinSinglePrecisionOfTheReference(int d)
    {
        var random = new Random(1300 + d);
        for (var trial = 0; trial < 40; trial++)
        {
            var problem = ConvCase.Draw(random, d, MaxSize(d));
            var (x, w) = (Values(random, problem.InputLength), Values(random, problem.KernelLength));
            using var input = Seed.Tensor<float>(x, [.. problem.InputShape.Dims]);
            using var kernel = Seed.Tensor<float>(w, [.. problem.KernelShape.Dims]);

            using var output = Conv.Forward(input, kernel, null, problem.Options);

            Assertions.AllClose(NdReference.Conv(problem, x, w, null), output.Span, 1e-4, $"trial {trial}: {problem}");
        }
    }

    [Theory]
    [MemberData(nameof(Dims))]
    public void Backward_MatchesCentralFiniteDifferences(int d)
    {
        var random = new Random(1400 + d);
        for (var trial = 0; trial < (d == 3 ? 25 : 40); trial++)
        {
            var problem = ConvCase.Draw(random, d, d == 3 ? 4 : MaxSize(d));
            var (x, w, b) = (Values(random, problem.InputLength), Values(random, problem.KernelLength), Values(random, problem.Cout));
            var gy = Values(random, problem.OutputLength);

            using var gradients = Backward(problem, x, w, b, gy);

            double Loss() => Dot(NdReference.Conv(problem, x, w, b), gy);
            var what = $"trial {trial}: {problem}";
            Assertions.AllClose(FiniteDifferences.Of(Loss, x), gradients.GradInput.Span, 1e-8, $"gradInput, {what}");
            Assertions.AllClose(FiniteDifferences.Of(Loss, w), gradients.GradKernel.Span, 1e-8, $"gradKernel, {what}");
            Assertions.AllClose(FiniteDifferences.Of(Loss, b), gradients.GradBias!.Span, 1e-8, $"gradBias, {what}");
        }
    }

    /// <summary>
    /// Shapes that use several pixel and depth blocks, tail panels and both workers, in 1-D and 3-D; (first) one padded past
    /// the kernel's reach along the height, whose input gradient on AVX2 computes the padded cells too (FullConvolution);
    /// and (last two) rows of outputs a whole number of vectors long at stride 1, whose pixels the forward pass reads where they lie.
    /// </summary>
    [Theory]
    [InlineData(new[] { 1, 8, 7, 9 }, new[] { 8, 8, 3, 3 }, new[] { 1, 1 }, new[] { 3, 1 }, new[] { 1, 1 })]
    [InlineData(new[] { 2, 16, 6, 5, 16 }, new[] { 20, 16, 3, 3, 3 }, new[] { 1, 1, 1 }, new[] { 1, 1, 1 }, new[] { 1, 1, 1 })]
    [InlineData(new[] { 1, 8, 9, 32 }, new[] { 12, 8, 3, 5 }, new[] { 1, 1 }, new[] { 1, 2 }, new[] { 1, 1 })]
    [InlineData(new[] { 2, 16, 300 }, new[] { 24, 16, 5 }, new[] { 1 }, new[] { 2 }, new[] { 1 })]
    [InlineData(new[] { 3, 6, 517 }, new[] { 9, 2, 3 }, new[] { 2 }, new[] { 1 }, new[] { 3 })]
    [InlineData(new[] { 1, 8, 9, 10, 11 }, new[] { 12, 8, 3, 3, 3 }, new[] { 1, 2, 1 }, new[] { 1, 1, 1 }, new[] { 1, 1, 2 })]
    [InlineData(new[] { 2, 4, 6, 13, 7 }, new[] { 8, 4, 2, 3, 2 }, new[] { 2, 1, 1 }, new[] { 1, 0, 2 }, new[] { 2, 1, 1 })]
    [InlineData(new[] { 1, 8, 16, 16, 16 }, new[] { 8, 8, 3, 3, 3 }, new[] { 1, 1, 1 }, new[] { 1, 1, 1 }, new[] { 1, 1, 1 })]
    public void BothPasses_OnLargeShapes_MatchTheReference(int[] input, int[] kernel, int[] stride, int[] padding, int[] dilation)
    {
        var d = input.Length - 2;
        var problem = new ConvCase(SpatialForm.Batched, input[0], input[1], input[2..], kernel[0], kernel[2..], input[1] / kernel[1], stride, dilation,
            ConvPadding.Explicit(new Spatial(padding)), [.. padding.Select(p => (p, p))], PaddingMode.Zeros);
        var random = new Random(d);
        var (x, w, b, gy) = (Values(random, problem.InputLength), Values(random, problem.KernelLength), Values(random, problem.Cout), Values(random, problem.OutputLength));

        using var output = Forward(problem, x, w, b);
        using var gradients = Backward(problem, x, w, b, gy);

        var (gx, gw, gb) = NdReference.ConvBackward(problem, x, w, gy);
        Assertions.AllClose(NdReference.Conv(problem, x, w, b), output.Span, 1e-12, $"output of {problem}");
        Assertions.AllClose(gx, gradients.GradInput.Span, 1e-12, $"gradInput of {problem}");
        Assertions.AllClose(gw, gradients.GradKernel.Span, 1e-12, $"gradKernel of {problem}");
        Assertions.AllClose(gb, gradients.GradBias!.Span, 1e-12, $"gradBias of {problem}");
    }

    /// <summary>Rows of outputs a whole number of float32 vectors long (16, 32), read in place by the forward pass.</summary>
    [Theory]
    [InlineData(new[] { 2, 16, 6, 5, 16 }, new[] { 20, 16, 3, 3, 3 }, new[] { 1, 1, 1 })]
    [InlineData(new[] { 1, 8, 9, 32 }, new[] { 12, 8, 3, 5 }, new[] { 1, 2 })]
    public void Forward_InFloat32_OnRowsOfWholeVectors_StaysWithinSinglePrecisionOfTheReference(int[] input, int[] kernel, int[] padding)
    {
        var d = input.Length - 2;
        var problem = new ConvCase(SpatialForm.Batched, input[0], input[1], input[2..], kernel[0], kernel[2..], 1, [.. Enumerable.Repeat(1, d)], [.. Enumerable.Repeat(1, d)],
            ConvPadding.Explicit(new Spatial(padding)), [.. padding.Select(p => (p, p))], PaddingMode.Zeros);
        var random = new Random(40 + d);
        var (x, w) = (Values(random, problem.InputLength), Values(random, problem.KernelLength));
        using var inputTensor = Seed.Tensor<float>(x, [.. problem.InputShape.Dims]);
        using var kernelTensor = Seed.Tensor<float>(w, [.. problem.KernelShape.Dims]);

        using var output = Conv.Forward(inputTensor, kernelTensor, null, problem.Options);

        Assertions.AllClose(NdReference.Conv(problem, x, w, null), output.Span, 1e-4, $"{problem}");
    }

    [Theory]
    [InlineData(7, 3, 2, 1, 1, 1)] // ceil(7 / 2) = 4 outputs need (4 − 1)·2 + 3 = 9 cells: 2 of padding, 1 + 1
    [InlineData(8, 3, 2, 1, 0, 1)] // 4 outputs need 9 cells: 1 of padding, at the end (upper)
    [InlineData(5, 1, 3, 1, 0, 0)] // a 1-wide kernel at stride 3 needs none
    [InlineData(6, 3, 1, 2, 2, 2)] // stride 1: dilation·(K − 1) = 4 in total
    public void SameUpperAndSameLower_PadAsTheContractSays(int size, int kernel, int stride, int dilation, int begin, int end)
    {
        Assert.Equal((begin, end), ConvPadding.SameUpper.Resolve(0, size, kernel, stride, dilation));
        Assert.Equal((end, begin), ConvPadding.SameLower.Resolve(0, size, kernel, stride, dilation));
        var geometry = ConvGeometry.Create(new TensorShape(size), new TensorShape(kernel), null, ConvOptions.Default(1) with
        {
            Padding = ConvPadding.SameUpper, Stride = new Spatial(stride), Dilation = new Spatial(dilation),
        });
        Assert.Equal((size + stride - 1) / stride, geometry.OutputShape[0]);
    }

    private static readonly HashSet<string> AllFeatures =
        ["Single", "Unbatched", "Batched", "Zeros", "Reflect", "Replicate", "Circular", "Explicit", "Same", "SameUpper", "SameLower", "Valid", "asymmetric", "groups", "stride", "dilation"];

    private static int MaxSize(int d) => d switch { 1 => 12, 2 => 8, _ => 5 };

    private static Tensor<double> Forward(ConvCase problem, double[] x, double[] w, double[]? b)
    {
        using var input = Tensor<double>.Wrap(problem.InputShape, x);
        using var kernel = Tensor<double>.Wrap(problem.KernelShape, w);
        using var bias = b is null ? null : Tensor<double>.Wrap(new TensorShape(b.Length), b);
        return Conv.Forward(input, kernel, bias, problem.Options);
    }

    private static ConvGradients<double> Backward(ConvCase problem, double[] x, double[] w, double[] b, double[] gy)
    {
        using var input = Tensor<double>.Wrap(problem.InputShape, x);
        using var kernel = Tensor<double>.Wrap(problem.KernelShape, w);
        using var bias = Tensor<double>.Wrap(new TensorShape(b.Length), b);
        using var grad = Tensor<double>.Wrap(problem.OutputShape, gy);
        return Conv.Backward(input, kernel, bias, grad, problem.Options);
    }

    private static IEnumerable<string> Features(ConvCase problem)
    {
        yield return problem.Form.ToString();
        yield return problem.Mode.ToString();
        yield return problem.Padding.Kind.ToString();
        if (!problem.Padding.IsSymmetric)
            yield return "asymmetric";
        if (problem.Groups > 1)
            yield return "groups";
        if (problem.Stride.Any(s => s > 1))
            yield return "stride";
        if (problem.Dilation.Any(s => s > 1))
            yield return "dilation";
    }

    internal static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    internal static double[] Values(Random random, int count) => [.. Enumerable.Range(0, count).Select(_ => Math.Round(random.NextDouble() * 4 - 2, 3))];
}
