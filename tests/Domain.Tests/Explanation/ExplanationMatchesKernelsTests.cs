using ConvService.Domain.Convolution;
using ConvService.Domain.Explanation;
using ConvService.Domain.Geometry;
using ConvService.Domain.Pooling;
using ConvService.Domain.Tensors;
using ConvService.Domain.Tests.Support;

namespace ConvService.Domain.Tests.Explanation;

/// <summary>
/// Every cell an explanation writes out adds up to what the kernels compute for it: random calls in every form and
/// dimensionality, every output and gradient cell, within 1e-12 of the scale of its terms.
/// </summary>
public class ExplanationMatchesKernelsTests
{
    public static TheoryData<int> Dims => [1, 2, 3];

    [Theory]
    [MemberData(nameof(Dims))]
    public void ConvCells_AddUpToTheKernelsOutputAndGradients(int d)
    {
        var random = new Random(100 + d);
        for (var trial = 0; trial < 12; trial++)
        {
            var conv = ConvCase.Draw(random, d, d == 3 ? 4 : 6);
            using var input = Random(random, conv.InputShape);
            using var kernel = Random(random, conv.KernelShape);
            using var bias = Random(random, new TensorShape(conv.Form == SpatialForm.Single ? 1 : conv.Cout));
            var geometry = ConvGeometry.Create(input.Shape, kernel.Shape, bias.Shape, conv.Options);
            using var gradOutput = Random(random, geometry.OutputShape);
            using var output = Conv.Forward(geometry, input, kernel, bias);
            using var gradients = Conv.Backward(geometry, input, kernel, bias, gradOutput);

            ForEachCell(output, (cell, expected) => AssertSum(expected, ConvExplain.Output(geometry, input, kernel, bias, cell), $"{conv} output"));
            ForEachCell(gradients.GradInput, (cell, expected) => AssertSum(expected, ConvExplain.GradInput(geometry, kernel, gradOutput, cell), $"{conv} gradInput"));
            ForEachCell(gradients.GradKernel, (cell, expected) => AssertSum(expected, ConvExplain.GradKernel(geometry, input, gradOutput, cell), $"{conv} gradKernel"));
            ForEachCell(gradients.GradBias!, (cell, expected) => AssertSum(expected, ConvExplain.GradBias(geometry, gradOutput, cell), $"{conv} gradBias"));
        }
    }

    [Theory]
    [MemberData(nameof(Dims))]
    public void TransposedCells_AddUpToTheKernelsOutputAndGradients(int d)
    {
        var random = new Random(200 + d);
        for (var trial = 0; trial < 10; trial++)
        {
            var call = TransposeCase.Draw(random, d, d == 3 ? 3 : 5);
            using var input = Random(random, call.InputShape);
            using var kernel = Random(random, call.KernelShape);
            using var bias = Random(random, new TensorShape(call.Form == SpatialForm.Single ? 1 : call.Cout));
            var geometry = ConvTransposeGeometry.Create(input.Shape, kernel.Shape, bias.Shape, call.Options);
            using var gradOutput = Random(random, geometry.OutputShape);
            using var output = ConvTranspose.Forward(geometry, input, kernel, bias);
            using var gradients = ConvTranspose.Backward(geometry, input, kernel, bias, gradOutput);

            ForEachCell(output, (cell, expected) => AssertSum(expected, ConvTransposeExplain.Output(geometry, input, kernel, bias, cell), $"{call} output"));
            ForEachCell(gradients.GradInput, (cell, expected) => AssertSum(expected, ConvTransposeExplain.GradInput(geometry, kernel, gradOutput, cell), $"{call} gradInput"));
            ForEachCell(gradients.GradKernel, (cell, expected) => AssertSum(expected, ConvTransposeExplain.GradKernel(geometry, input, gradOutput, cell), $"{call} gradKernel"));
            ForEachCell(gradients.GradBias!, (cell, expected) => AssertSum(expected, ConvTransposeExplain.GradBias(geometry, gradOutput, cell), $"{call} gradBias"));
        }
    }

    public static TheoryData<PoolMode, int> PoolCalls()
    {
        var data = new TheoryData<PoolMode, int>();
        foreach (var mode in Enum.GetValues<PoolMode>())
        {
            foreach (var d in new[] { 1, 2, 3 }.Where(d => d > 1 || mode != PoolMode.FractionalMax))
                data.Add(mode, d);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PoolCalls))]
    public void PoolCells_AddUpToTheKernelsOutputAndGradient(PoolMode mode, int d)
    {
        var random = new Random(300 + 10 * (int)mode + d);
        var tested = 0;
        for (var trial = 0; trial < 60 && tested < 12; trial++)
        {
            var call = RandomCall.Of(random, d, positive: mode == PoolMode.Lp, least: mode == PoolMode.FractionalMax ? 4 : 1);
            var options = DrawOptions(random, mode, call);
            if (PoolRules.Check(mode, call.Shape, options).Count > 0)
                continue;
            using var input = call.Input();
            var geometry = PoolGeometry.Create(mode, input.Shape, options);
            using var samples = mode == PoolMode.FractionalMax ? PoolExplain.DrawSamples<double>(geometry, random.Next()) : null;
            using var gradOutput = Random(random, geometry.OutputShape);
            var result = Pool.Forward(geometry, input, false, null, samples);
            using var output = result.Output;
            using var gradInput = Pool.Backward(geometry, input, gradOutput, null, samples);

            ForEachCell(output, (cell, expected) => AssertClose(expected, PoolExplain.Output(geometry, input, samples, cell).Value, 0, $"{mode} {input.Shape} {options} output"));
            ForEachCell(gradInput, (cell, expected) => AssertClose(expected, PoolExplain.GradInput(geometry, input, gradOutput, samples, cell).Value, 0, $"{mode} {input.Shape} {options} gradInput"));
            tested++;
        }
        Assert.True(tested >= 8, $"only {tested} valid calls");
    }

    private static PoolOptions DrawOptions(Random random, PoolMode mode, RandomCall call)
    {
        var d = call.Sizes.Length;
        var k = call.PerAxis(1, 3);
        var ceil = random.Next(2) == 0;
        int[] Pads(int[] reach) => [.. reach.Select(r => random.Next(0, r / 2 + 1))];
        return mode switch
        {
            PoolMode.Max => new PoolOptions(KernelSize: new Spatial(k), Stride: new Spatial(call.PerAxis(1, 3)), Padding: new Spatial(Pads(k)), Dilation: new Spatial(call.PerAxis(1, 2)),
                CeilMode: ceil, SpatialDims: d),
            PoolMode.Avg => new PoolOptions(KernelSize: new Spatial(k), Stride: new Spatial(call.PerAxis(1, 3)), Padding: new Spatial(Pads(k)), CeilMode: ceil,
                CountIncludePad: random.Next(2) == 0, DivisorOverride: d > 1 && random.Next(3) == 0 ? random.Next(1, 7) : null, SpatialDims: d),
            PoolMode.Lp => new PoolOptions(KernelSize: new Spatial(k), Stride: new Spatial(call.PerAxis(1, 3)), CeilMode: ceil, NormType: new[] { 1, 2, 3, 1.5 }[random.Next(4)], SpatialDims: d),
            PoolMode.FractionalMax => new PoolOptions(KernelSize: new Spatial(k), OutputSize: new PoolOutputSize([.. call.Sizes.Select((s, a) => (int?)random.Next(1, Math.Max(2, s - k[a])))]), SpatialDims: d),
            _ => new PoolOptions(OutputSize: new PoolOutputSize([.. call.Sizes.Select(s => (int?)random.Next(1, s + 2))]), SpatialDims: d),
        };
    }

    private static Tensor<double> Random(Random random, TensorShape shape)
    {
        var tensor = Tensor<double>.Uninitialized(shape);
        foreach (ref var value in tensor.Span)
            value = Math.Round(4 * random.NextDouble() - 2, 3);
        return tensor;
    }

    private static void ForEachCell(Tensor<double> tensor, Action<int[], double> check)
    {
        var index = 0;
        foreach (var cell in PlaneCell.Indices([.. tensor.Shape.Dims]))
            check([.. cell], tensor.Span[index++]);
    }

    private static void AssertSum(double expected, CellSum<double> sum, string what)
    {
        var scale = sum.Terms.Sum(t => Math.Abs(t.Product)) + Math.Abs(sum.Bias?.Value ?? 0);
        AssertClose(expected, sum.Value, 1e-12 * scale, $"{what} [{string.Join(", ", sum.Cell)}] = {string.Join(" + ", sum.Terms.Select(t => t.Product))}");
    }

    private static void AssertClose(double expected, double actual, double slack, string what)
    {
        var ok = expected.Equals(actual) || Math.Abs(expected - actual) <= Math.Max(slack, 1e-12 * Math.Max(1, Math.Abs(expected)));
        Assert.True(ok, $"{what}: the kernels give {expected:R}, the explanation {actual:R}");
    }
}
