using ConvService.Domain.Geometry;
using ConvService.Domain.Pooling;
using ConvService.Domain.Tensors;
using ConvService.Domain.Tests.Support;

namespace ConvService.Domain.Tests.Pooling;

public class PoolForwardTests
{
    private static readonly double[] SeedC = [109, 92, 72, 108, 85, 74, 110, 74, 79];

    [Fact]
    public void MaxForward_PoolsTheSeedsAnswer()
    {
        using var input = Seed.Tensor<double>(SeedC, 3, 3);
        var result = Pool2d.Forward(PoolMode.Max, input, new PoolOptions(KernelSize: new Spatial(2, 2), Stride: new Spatial(1, 1), ReturnIndices: true));

        Assert.Equal(new TensorShape(2, 2), result.Output.Shape);
        Assert.Equal([109, 92, 110, 85], result.Output.Span.ToArray());
        Assert.Equal([0, 1, 6, 4], result.Indices!);
    }

    [Fact]
    public void MaxForward_BreaksTiesToTheFirstInRowMajorOrder()
    {
        using var input = Seed.Tensor<double>([1, 5, 5, 5], 2, 2);
        var result = Pool2d.Forward(PoolMode.Max, input, new PoolOptions(KernelSize: new Spatial(2, 2), ReturnIndices: true));

        Assert.Equal([1], result.Indices!);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void MaxForward_MatchesNaiveReference(int seed)
    {
        var random = new Random(seed);
        for (var trial = 0; trial < 40; trial++)
        {
            int h = random.Next(1, 9), w = random.Next(1, 9), k = random.Next(1, 4), s = random.Next(1, 4), d = random.Next(1, 3);
            var pad = random.Next(0, (d * (k - 1) + 1) / 2 + 1);
            var ceil = random.Next(2) == 0;
            var options = new PoolOptions(KernelSize: new Spatial(k, k), Stride: new Spatial(s, s), Padding: new Spatial(pad, pad), Dilation: new Spatial(d, d), CeilMode: ceil, ReturnIndices: true);
            if (PoolRules.Check(PoolMode.Max, new TensorShape(h, w), options).Count > 0)
                continue;
            var x = Values(random, h * w);
            var (expected, indices, ho, wo) = PoolReference.Max(x, h, w, k, s, pad, d, ceil);

            using var input = Seed.Tensor<double>(x, h, w);
            var result = Pool2d.Forward(PoolMode.Max, input, options);

            var what = $"{h}×{w} k{k} s{s} p{pad} d{d} ceil {ceil}";
            Assert.Equal(new TensorShape(ho, wo), result.Output.Shape);
            Assertions.AllClose(expected, result.Output.Span, 0, what);
            Assert.Equal(indices, result.Indices);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void AvgForward_MatchesNaiveReference(int seed)
    {
        var random = new Random(seed);
        for (var trial = 0; trial < 40; trial++)
        {
            int h = random.Next(1, 9), w = random.Next(1, 9), k = random.Next(1, 5), s = random.Next(1, 4), pad = random.Next(0, k / 2 + 1);
            bool ceil = random.Next(2) == 0, countPad = random.Next(2) == 0;
            int? divisor = random.Next(3) == 0 ? random.Next(1, 7) : null;
            var options = new PoolOptions(KernelSize: new Spatial(k, k), Stride: new Spatial(s, s), Padding: new Spatial(pad, pad), CeilMode: ceil, CountIncludePad: countPad, DivisorOverride: divisor);
            if (PoolRules.Check(PoolMode.Avg, new TensorShape(h, w), options).Count > 0)
                continue;
            var x = Values(random, h * w);

            using var input = Seed.Tensor<double>(x, h, w);
            using var output = Pool2d.Forward(PoolMode.Avg, input, options).Output;

            Assertions.AllClose(PoolReference.Avg(x, h, w, k, s, pad, ceil, countPad, divisor), output.Span, 1e-12, $"{h}×{w} k{k} s{s} p{pad} ceil {ceil} countPad {countPad} divisor {divisor}");
        }
    }

    [Fact]
    public void LpForward_IsThePNormOfFullWindowsAndRescalesOverhangingOnes()
    {
        using var input = Seed.Tensor<double>([3, 4, 1, 0, 0, 2], 2, 3);
        using var output = Pool2d.Forward(PoolMode.Lp, input, new PoolOptions(KernelSize: new Spatial(2, 2), NormType: 2, CeilMode: true)).Output;

        // The first window is full: sqrt(9 + 16). The second holds only column 2: PyTorch's avg-pool divides by 2 cells, then multiplies by 4.
        Assertions.AllClose([5, Math.Sqrt((1 + 4) / 2.0 * 4)], output.Span, 1e-15);
    }

    [Fact]
    public void AdaptiveForward_UsesFloorStartsAndCeilEnds()
    {
        using var input = Seed.Tensor<double>([1, 2, 3, 4, 5], 1, 5);
        var options = new PoolOptions(OutputSize: new PoolOutputSize(null, 3), ReturnIndices: true);
        using var mean = Pool2d.Forward(PoolMode.AdaptiveAvg, input, options with { ReturnIndices = null }).Output;
        var max = Pool2d.Forward(PoolMode.AdaptiveMax, input, options);

        // Windows [0, 2), [1, 4), [3, 5).
        Assertions.AllClose([1.5, 3, 4.5], mean.Span);
        Assertions.AllClose([2, 4, 5], max.Output.Span);
        Assert.Equal([1, 3, 4], max.Indices!);
    }

    [Fact]
    public void FractionalForward_PlacesWindowsFromTheWidthSampleFirst()
    {
        using var input = Seed.Tensor<double>([.. Enumerable.Range(0, 49).Select(v => (double)v)], 7, 7);
        using var samples = Seed.Tensor<double>([0.9, 0.1], 1, 2);
        var result = Pool2d.Forward(PoolMode.FractionalMax, input, new PoolOptions(KernelSize: new Spatial(2, 2), OutputSize: new PoolOutputSize(4, 4), ReturnIndices: true), samples);

        // alpha = (7 − 2) / 3. Width u = 0.9: starts (int)((i + 0.9)·alpha) − 1 = 0, 2, 3, then 5; height u = 0.1: 0, 1, 3, 5.
        // The input increases, so each max is its window's bottom-right cell: rows 1, 2, 4, 6 and columns 1, 3, 4, 6.
        Assert.Equal([8, 10, 11, 13, 15, 17, 18, 20, 29, 31, 32, 34, 43, 45, 46, 48], result.Indices!);
        Assertions.AllClose([0.9, 0.1], result.Samples!.Span);
    }

    [Fact]
    public void FractionalForward_DrawsTheSameSamplesFromTheSameSeed()
    {
        using var input = Seed.Tensor<double>([.. Enumerable.Range(0, 50).Select(v => Math.Sin(v))], 2, 5, 5);
        var options = new PoolOptions(KernelSize: new Spatial(2, 2), OutputRatio: new PoolRatio(0.5, 0.7), Seed: 42);

        var first = Pool2d.Forward(PoolMode.FractionalMax, input, options);
        var second = Pool2d.Forward(PoolMode.FractionalMax, input, options);

        Assert.Equal(new TensorShape(2, 2, 3), first.Output.Shape);
        Assert.Equal(new TensorShape(2, 2), first.Samples!.Shape);
        Assert.Equal(first.Samples.Span.ToArray(), second.Samples!.Span.ToArray());
        Assert.Equal(first.Output.Span.ToArray(), second.Output.Span.ToArray());
    }

    [Fact]
    public void Forward_InFloat32MatchesFloat64WithinSinglePrecision()
    {
        var x = Values(new Random(5), 2 * 3 * 7 * 6);
        using var single = Seed.Tensor<float>(x, 2, 3, 7, 6);
        using var @double = Seed.Tensor<double>(x, 2, 3, 7, 6);
        var options = new PoolOptions(KernelSize: new Spatial(3, 2), Stride: new Spatial(2, 1), Padding: new Spatial(1, 1), CeilMode: true);

        using var expected = Pool2d.Forward(PoolMode.Avg, @double, options).Output;
        using var actual = Pool2d.Forward(PoolMode.Avg, single, options).Output;

        Assertions.AllClose(expected.Span, actual.Span, 1e-6);
    }

    internal static double[] Values(Random random, int count) => [.. Enumerable.Range(0, count).Select(_ => random.NextDouble() * 4 - 2)];
}
