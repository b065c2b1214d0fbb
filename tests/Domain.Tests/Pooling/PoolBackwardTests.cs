using ConvService.Domain.Geometry;
using ConvService.Domain.Pooling;
using ConvService.Domain.Tensors;
using ConvService.Domain.Tests.Support;

namespace ConvService.Domain.Tests.Pooling;

/// <summary>Every backward against central finite differences of <c>Σ output · gradOutput</c>, on random inputs without ties.</summary>
public class PoolBackwardTests
{
    private static readonly Spatial K3 = new(3, 3);

    public static TheoryData<PoolMode, PoolOptions> Cases => new()
    {
        { PoolMode.Max, new PoolOptions(KernelSize: K3, Stride: new Spatial(2, 1), Padding: new Spatial(1, 1), CeilMode: true) },
        { PoolMode.Max, new PoolOptions(KernelSize: new Spatial(2, 3), Dilation: new Spatial(2, 1), Stride: new Spatial(1, 2)) },
        { PoolMode.Avg, new PoolOptions(KernelSize: K3, Stride: new Spatial(2, 2), Padding: new Spatial(1, 1), CeilMode: true) },
        { PoolMode.Avg, new PoolOptions(KernelSize: K3, Stride: new Spatial(2, 2), Padding: new Spatial(1, 0), CountIncludePad: false) },
        { PoolMode.Avg, new PoolOptions(KernelSize: new Spatial(2, 2), DivisorOverride: 3) },
        { PoolMode.Lp, new PoolOptions(KernelSize: K3, Stride: new Spatial(2, 2), NormType: 2.5, CeilMode: true) },
        { PoolMode.Lp, new PoolOptions(KernelSize: new Spatial(2, 2), NormType: 2) },
        { PoolMode.FractionalMax, new PoolOptions(KernelSize: new Spatial(2, 2), OutputSize: new PoolOutputSize(4, 3), Seed: 3) },
        { PoolMode.AdaptiveMax, new PoolOptions(OutputSize: new PoolOutputSize(3, null)) },
        { PoolMode.AdaptiveAvg, new PoolOptions(OutputSize: new PoolOutputSize(4, 3)) },
        { PoolMode.Max, new PoolOptions(KernelSize: new Spatial(3), Stride: new Spatial(2), Padding: new Spatial(1), Dilation: new Spatial(2), CeilMode: true, SpatialDims: 1) },
        { PoolMode.Avg, new PoolOptions(KernelSize: new Spatial(3), Stride: new Spatial(2), Padding: new Spatial(1), CeilMode: true, CountIncludePad: false, SpatialDims: 1) },
        { PoolMode.Lp, new PoolOptions(KernelSize: new Spatial(4), Stride: new Spatial(3), NormType: 1.5, CeilMode: true, SpatialDims: 1) },
        { PoolMode.AdaptiveMax, new PoolOptions(OutputSize: new PoolOutputSize(4), SpatialDims: 1) },
        { PoolMode.AdaptiveAvg, new PoolOptions(OutputSize: new PoolOutputSize(5), SpatialDims: 1) },
        { PoolMode.Max, new PoolOptions(KernelSize: new Spatial(2, 3, 2), Stride: new Spatial(2, 1, 2), Padding: new Spatial(1, 1, 0), Dilation: new Spatial(1, 1, 2), CeilMode: true, SpatialDims: 3) },
        { PoolMode.Avg, new PoolOptions(KernelSize: new Spatial(2, 3, 2), Stride: Spatial.Repeat(2, 3), Padding: new Spatial(1, 0, 1), CeilMode: true, SpatialDims: 3) },
        { PoolMode.Avg, new PoolOptions(KernelSize: new Spatial(3, 2, 2), Padding: Spatial.Repeat(1, 3), CountIncludePad: false, DivisorOverride: 5, SpatialDims: 3) },
        { PoolMode.Lp, new PoolOptions(KernelSize: new Spatial(2, 2, 3), Stride: Spatial.Repeat(2, 3), NormType: 3, CeilMode: true, SpatialDims: 3) },
        { PoolMode.FractionalMax, new PoolOptions(KernelSize: Spatial.Repeat(2, 3), OutputSize: new PoolOutputSize(3, 2, 3), Seed: 5, SpatialDims: 3) },
        { PoolMode.AdaptiveMax, new PoolOptions(OutputSize: new PoolOutputSize(3, null, 2), SpatialDims: 3) },
        { PoolMode.AdaptiveAvg, new PoolOptions(OutputSize: new PoolOutputSize(2, 3, 4), SpatialDims: 3) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_MatchesCentralFiniteDifferences(PoolMode mode, PoolOptions options)
    {
        var random = new Random(11);
        var shape = options.Dims switch { 1 => new TensorShape(2, 2, 11), 2 => new TensorShape(2, 2, 7, 6), _ => new TensorShape(2, 1, 5, 4, 6) };
        var count = (int)shape.ElementCount!.Value;
        // Positive and far apart: lp needs x > 0 for fractional p, max-type modes need no ties within ±eps.
        var x = Enumerable.Range(0, count).Select(i => 0.5 + i * 0.01).OrderBy(_ => random.Next()).ToArray();
        using var input = Tensor<double>.Wrap(shape, x);
        var outputShape = Pool.Forward(mode, input, options).Output.Shape;
        var g = PoolForwardTests.Values(random, (int)outputShape.ElementCount!.Value);
        using var gradOutput = Tensor<double>.Wrap(outputShape, g);

        using var gradInput = Pool.Backward(mode, input, gradOutput, options);

        var numeric = new double[x.Length];
        const double eps = 1e-6;
        for (var i = 0; i < x.Length; i++)
        {
            var keep = x[i];
            x[i] = keep + eps;
            var plus = Loss(mode, input, options, g);
            x[i] = keep - eps;
            var minus = Loss(mode, input, options, g);
            x[i] = keep;
            numeric[i] = (plus - minus) / (2 * eps);
        }
        Assertions.AllClose(numeric, gradInput.Span, 1e-6, $"{mode} {options.Dims}-D gradInput");
    }

    [Fact]
    public void Backward_WithoutGradOutputIsTheGradientOfTheSum()
    {
        using var input = Seed.Tensor<double>([109, 92, 72, 108, 85, 74, 110, 74, 79], 3, 3);
        var options = new PoolOptions(KernelSize: new Spatial(2, 2), Stride: new Spatial(1, 1));

        using var gradInput = Pool.Backward(PoolMode.Max, input, null, options);

        // Maxima 109, 92, 110, 85 at positions 0, 1, 6, 4.
        Assertions.AllClose([1, 1, 0, 0, 1, 0, 1, 0, 0], gradInput.Span);
    }

    [Fact]
    public void Backward_TwiceGivesTheSameResult()
    {
        using var input = Seed.Tensor<double>(PoolForwardTests.Values(new Random(2), 30), 5, 6);
        var options = new PoolOptions(KernelSize: new Spatial(2, 2), NormType: 3, CeilMode: true);

        using var first = Pool.Backward(PoolMode.Lp, input, null, options);
        using var second = Pool.Backward(PoolMode.Lp, input, null, options);

        Assert.Equal(first.Span.ToArray(), second.Span.ToArray());
    }

    private static double Loss(PoolMode mode, Tensor<double> input, PoolOptions options, double[] g)
    {
        using var output = Pool.Forward(mode, input, options).Output;
        var sum = 0.0;
        for (var i = 0; i < g.Length; i++)
            sum += output.Span[i] * g[i];
        return sum;
    }
}
