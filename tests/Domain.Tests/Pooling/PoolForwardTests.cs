using ConvService.Domain.Geometry;
using ConvService.Domain.Pooling;
using ConvService.Domain.Tensors;
using ConvService.Domain.Tests.Support;

namespace ConvService.Domain.Tests.Pooling;

public class PoolForwardTests
{
    private static readonly double[] SeedC = [109, 92, 72, 108, 85, 74, 110, 74, 79];

    public static TheoryData<int> Dims => [1, 2, 3];

    [Fact]
    public void MaxForward_PoolsTheSeedsAnswer()
    {
        using var input = Seed.Tensor<double>(SeedC, 3, 3);
        var result = Pool.Forward(PoolMode.Max, input, new PoolOptions(KernelSize: new Spatial(2, 2), Stride: new Spatial(1, 1), ReturnIndices: true));

        Assert.Equal(new TensorShape(2, 2), result.Output.Shape);
        Assert.Equal([109, 92, 110, 85], result.Output.Span.ToArray());
        Assert.Equal([0, 1, 6, 4], result.Indices!);
    }

    [Fact]
    public void MaxForward_BreaksTiesToTheFirstInRowMajorOrder()
    {
        using var input = Seed.Tensor<double>([1, 5, 5, 5], 2, 2);
        var result = Pool.Forward(PoolMode.Max, input, new PoolOptions(KernelSize: new Spatial(2, 2), ReturnIndices: true));

        Assert.Equal([1], result.Indices!);
    }

    [Fact]
    public void MaxForward_In3DBreaksTiesToTheFirstInDepthThenRowMajorOrder()
    {
        // A 2×2×2 volume whose max 5 sits at (0, 1, 1) and (1, 0, 0): depth 0 comes first.
        using var input = Seed.Tensor<double>([1, 2, 3, 5, 5, 0, 5, 1], 2, 2, 2);
        var result = Pool.Forward(PoolMode.Max, input, new PoolOptions(KernelSize: Spatial.Repeat(2, 3), ReturnIndices: true, SpatialDims: 3));

        Assert.Equal(new TensorShape(1, 1, 1), result.Output.Shape);
        Assert.Equal([3], result.Indices!);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void MaxForward_PropagatesNaNAtItsPosition(int dims)
    {
        var sizes = Enumerable.Repeat(3, dims).ToArray();
        var x = Enumerable.Range(0, PoolReference.Product(sizes)).Select(v => (double)v).ToArray();
        x[1] = double.NaN;
        using var input = Seed.Tensor<double>(x, sizes);
        var result = Pool.Forward(PoolMode.Max, input, new PoolOptions(KernelSize: Spatial.Repeat(3, dims), ReturnIndices: true, SpatialDims: dims));

        Assert.True(double.IsNaN(result.Output.Span[0]));
        Assert.Equal([1], result.Indices!);
    }

    [Theory]
    [MemberData(nameof(Dims))]
    public void MaxForward_MatchesNaiveReference(int dims) => ForValidCalls(PoolMode.Max, dims, seed: dims, (random, call) =>
    {
        var (k, d) = (call.PerAxis(1, 4), call.PerAxis(1, 2));
        // PyTorch checks padding against half the dilated kernel in 2-D, the kernel in 1-D and 3-D.
        var pad = Enumerable.Range(0, dims).Select(a => random.Next(0, (dims == 2 ? d[a] * (k[a] - 1) + 1 : k[a]) / 2 + 1)).ToArray();
        return new PoolOptions(KernelSize: new Spatial(k), Stride: new Spatial(call.PerAxis(1, 3)), Padding: new Spatial(pad), Dilation: new Spatial(d), CeilMode: random.Next(2) == 0, ReturnIndices: true, SpatialDims: dims);
    }, (call, o, result) => call.ForEachPlane(result.Output, (plane, actual, p, what) =>
    {
        var (expected, indices, sizes) = PoolReference.Max(plane, call.Sizes, Ints(o.KernelSize), Ints(o.Stride), Ints(o.Padding), Ints(o.Dilation), o.CeilMode == true);
        Assert.Equal(sizes, call.SpatialOf(result.Output.Shape));
        Assertions.AllClose(expected, actual, 0, what);
        Assert.Equal(indices, result.Indices!.AsSpan(p * indices.Length, indices.Length).ToArray());
    }));

    [Theory]
    [MemberData(nameof(Dims))]
    public void AvgForward_MatchesNaiveReference(int dims) => ForValidCalls(PoolMode.Avg, dims, seed: 10 + dims, (random, call) =>
    {
        var k = call.PerAxis(1, 4);
        int? divisor = dims > 1 && random.Next(3) == 0 ? random.Next(1, 7) : null;
        return new PoolOptions(
            KernelSize: new Spatial(k), Stride: new Spatial(call.PerAxis(1, 3)), Padding: new Spatial([.. k.Select(kernel => random.Next(0, kernel / 2 + 1))]),
            CeilMode: random.Next(2) == 0, CountIncludePad: random.Next(2) == 0, DivisorOverride: divisor, SpatialDims: dims);
    }, (call, o, result) => call.ForEachPlane(result.Output, (plane, actual, _, what) =>
    {
        var (expected, sizes) = PoolReference.Avg(plane, call.Sizes, Ints(o.KernelSize), Ints(o.Stride), Ints(o.Padding), o.CeilMode == true, o.CountIncludePad == true, o.DivisorOverride);
        Assert.Equal(sizes, call.SpatialOf(result.Output.Shape));
        Assertions.AllClose(expected, actual, 1e-12, what);
    }));

    [Theory]
    [MemberData(nameof(Dims))]
    public void LpForward_MatchesNaiveReference(int dims) => ForValidCalls(PoolMode.Lp, dims, seed: 20 + dims, (random, call) =>
        new PoolOptions(KernelSize: new Spatial(call.PerAxis(1, 4)), Stride: new Spatial(call.PerAxis(1, 3)), CeilMode: random.Next(2) == 0, NormType: new[] { 1, 2, 3, 1.5, 0.75 }[random.Next(5)], SpatialDims: dims),
        (call, o, result) => call.ForEachPlane(result.Output, (plane, actual, _, what) =>
            Assertions.AllClose(PoolReference.Lp(plane, call.Sizes, Ints(o.KernelSize), Ints(o.Stride), o.CeilMode == true, o.NormType!.Value).Output, actual, 1e-12, what)),
        positive: true);

    [Theory]
    [MemberData(nameof(Dims))]
    public void AdaptiveForward_MatchesNaiveReference(int dims)
    {
        var random = new Random(30 + dims);
        for (var trial = 0; trial < 30; trial++)
        {
            var call = RandomCall.Of(random, dims);
            var outSizes = call.Sizes.Select(size => random.Next(1, size + 3)).ToArray();
            var given = outSizes.Select((size, a) => dims > 1 && size == call.Sizes[a] && random.Next(2) == 0 ? (int?)null : size).ToArray();
            var options = new PoolOptions(OutputSize: new PoolOutputSize(given), SpatialDims: dims);

            using var input = call.Input();
            var max = Pool.Forward(PoolMode.AdaptiveMax, input, options with { ReturnIndices = true });
            using var mean = Pool.Forward(PoolMode.AdaptiveAvg, input, options).Output;

            call.ForEachPlane(max.Output, (plane, actual, p, what) =>
            {
                var expected = PoolReference.Adaptive(plane, call.Sizes, outSizes);
                Assert.Equal(outSizes, call.SpatialOf(max.Output.Shape));
                Assertions.AllClose(expected.Max, actual, 0, $"{what} max → {Show(outSizes)}");
                Assert.Equal(expected.Indices, max.Indices!.AsSpan(p * expected.Indices.Length, expected.Indices.Length).ToArray());
                Assertions.AllClose(expected.Mean, mean.Span.Slice(p * expected.Mean.Length, expected.Mean.Length), 1e-12, $"{what} mean → {Show(outSizes)}");
            });
            max.Output.Dispose();
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void FractionalForward_MatchesNaiveReferenceWithSamplesInPyTorchsOrder(int dims)
    {
        var random = new Random(40 + dims);
        for (var trial = 0; trial < 30; trial++)
        {
            var call = RandomCall.Of(random, dims, least: 4);
            var k = call.Sizes.Select(size => random.Next(1, Math.Min(3, size - 2) + 1)).ToArray();
            // 2-D needs O + K − 1 ≤ I, 3-D O + K − 1 < I.
            var outSizes = call.Sizes.Select((size, a) => random.Next(1, size - k[a] + (dims == 2 ? 2 : 1))).ToArray();
            var options = new PoolOptions(KernelSize: new Spatial(k), OutputSize: new PoolOutputSize([.. outSizes.Select(o => (int?)o)]), ReturnIndices: true, SpatialDims: dims);
            using var input = call.Input();
            var samplesShape = PoolGeometry.Create(PoolMode.FractionalMax, call.Shape, options).SamplesShape;
            var u = Enumerable.Range(0, call.Planes * dims).Select(_ => random.NextDouble()).ToArray();
            using var samples = Tensor<double>.Wrap(samplesShape, u);

            var result = Pool.Forward(PoolMode.FractionalMax, input, options, samples);

            call.ForEachPlane(result.Output, (plane, actual, p, what) =>
            {
                // The contract's sample order: 2-D width then height; 3-D depth, height, width.
                var ofPlane = u.AsSpan(p * dims, dims).ToArray();
                var byAxis = dims == 2 ? [ofPlane[1], ofPlane[0]] : ofPlane;
                var (expected, indices) = PoolReference.Fractional(plane, call.Sizes, k, outSizes, byAxis);
                Assertions.AllClose(expected, actual, 0, $"{what} k{Show(k)} → {Show(outSizes)}");
                Assert.Equal(indices, result.Indices!.AsSpan(p * indices.Length, indices.Length).ToArray());
            });
            result.Output.Dispose();
            result.Samples?.Dispose();
        }
    }

    [Fact]
    public void LpForward_IsThePNormOfFullWindowsAndRescalesOverhangingOnes()
    {
        using var input = Seed.Tensor<double>([3, 4, 1, 0, 0, 2], 2, 3);
        using var output = Pool.Forward(PoolMode.Lp, input, new PoolOptions(KernelSize: new Spatial(2, 2), NormType: 2, CeilMode: true)).Output;

        // The first window is full: sqrt(9 + 16). The second holds only column 2: PyTorch's avg-pool divides by 2 cells, then multiplies by 4.
        Assertions.AllClose([5, Math.Sqrt((1 + 4) / 2.0 * 4)], output.Span, 1e-15);
    }

    [Fact]
    public void LpForward_In1DRescalesAWindowCutAtTheEdgeByKernelOverCellsInside()
    {
        using var input = Seed.Tensor<double>([1, 2, 2], 3);
        using var output = Pool.Forward(PoolMode.Lp, input, new PoolOptions(KernelSize: new Spatial(2), NormType: 2, CeilMode: true, SpatialDims: 1)).Output;

        // Windows [0, 2) and [2, 4) cut to [2, 3): sqrt(1 + 4) and sqrt(4 · 2 / 1).
        Assertions.AllClose([Math.Sqrt(5), Math.Sqrt(8)], output.Span, 1e-15);
    }

    [Fact]
    public void AdaptiveForward_UsesFloorStartsAndCeilEnds()
    {
        using var input = Seed.Tensor<double>([1, 2, 3, 4, 5], 1, 5);
        var options = new PoolOptions(OutputSize: new PoolOutputSize(null, 3), ReturnIndices: true);
        using var mean = Pool.Forward(PoolMode.AdaptiveAvg, input, options with { ReturnIndices = null }).Output;
        var max = Pool.Forward(PoolMode.AdaptiveMax, input, options);

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
        var result = Pool.Forward(PoolMode.FractionalMax, input, new PoolOptions(KernelSize: new Spatial(2, 2), OutputSize: new PoolOutputSize(4, 4), ReturnIndices: true), samples);

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

        var first = Pool.Forward(PoolMode.FractionalMax, input, options);
        var second = Pool.Forward(PoolMode.FractionalMax, input, options);

        Assert.Equal(new TensorShape(2, 2, 3), first.Output.Shape);
        Assert.Equal(new TensorShape(2, 2), first.Samples!.Shape);
        Assert.Equal(first.Samples.Span.ToArray(), second.Samples!.Span.ToArray());
        Assert.Equal(first.Output.Span.ToArray(), second.Output.Span.ToArray());
    }

    [Theory]
    [InlineData(new[] { 5, 6 }, 2, new[] { 1, 2 })]
    [InlineData(new[] { 4, 5, 6 }, 2, new[] { 4, 2 })]
    [InlineData(new[] { 4, 5, 6 }, 3, new[] { 1, 3 })]
    [InlineData(new[] { 2, 4, 5, 6 }, 3, new[] { 2, 3 })]
    [InlineData(new[] { 2, 3, 4, 5, 6 }, 3, new[] { 2, 3, 3 })]
    public void Forward_KeepsTheInputsRankAndGivesSamplesOfDPerPlane(int[] shape, int dims, int[] samples)
    {
        var options = new PoolOptions(KernelSize: Spatial.Repeat(1, dims), OutputRatio: new PoolRatio([.. Enumerable.Repeat(0.5, dims)]), SpatialDims: dims, Seed: 1);
        using var input = Tensor<double>.Zeros(new TensorShape(shape));
        var result = Pool.Forward(PoolMode.FractionalMax, input, options);

        Assert.Equal(shape.Length, result.Output.Shape.Rank);
        Assert.Equal(shape[..^dims], result.Output.Shape.Dims[..^dims].ToArray());
        Assert.Equal(new TensorShape(samples), result.Samples!.Shape);
        result.Output.Dispose();
        result.Samples.Dispose();
    }

    [Theory]
    [MemberData(nameof(Dims))]
    public void Forward_InFloat32MatchesFloat64WithinSinglePrecision(int dims)
    {
        var call = RandomCall.Of(new Random(5), dims, least: 3);
        var options = new PoolOptions(KernelSize: Spatial.Repeat(2, dims), Stride: Spatial.Repeat(2, dims), Padding: Spatial.Repeat(1, dims), CeilMode: true, SpatialDims: dims);
        using var @double = call.Input();
        using var single = Seed.Tensor<float>(@double.Span.ToArray(), [.. call.Shape.Dims]);

        using var expected = Pool.Forward(PoolMode.Avg, @double, options).Output;
        using var actual = Pool.Forward(PoolMode.Avg, single, options).Output;

        Assertions.AllClose(expected.Span, actual.Span, 1e-6);
    }

    internal static double[] Values(Random random, int count) => [.. Enumerable.Range(0, count).Select(_ => random.NextDouble() * 4 - 2)];

    /// <summary>
    /// Draws 100 random calls of <paramref name="mode"/> in <paramref name="dims"/> dimensions, pools those that keep
    /// PyTorch's rules and checks each result; at least 30 must be valid, so the sweep cannot pass on nothing.
    /// </summary>
    private static void ForValidCalls(PoolMode mode, int dims, int seed, Func<Random, RandomCall, PoolOptions> draw, Action<RandomCall, PoolOptions, PoolResult<double>> check, bool positive = false)
    {
        var random = new Random(seed);
        var tested = 0;
        for (var trial = 0; trial < 100; trial++)
        {
            var call = RandomCall.Of(random, dims, positive);
            var options = draw(random, call);
            if (PoolRules.Check(mode, call.Shape, options).Count > 0)
                continue;
            using var input = call.Input();
            var result = Pool.Forward(mode, input, options);
            using var output = result.Output;
            try
            {
                check(call, options, result);
            }
            catch (Xunit.Sdk.XunitException e)
            {
                throw new Xunit.Sdk.XunitException($"{options}: {e.Message}");
            }
            tested++;
        }
        Assert.True(tested >= 30, $"only {tested} valid calls");
    }

    private static int[] Ints(Spatial? values) => [.. values!.Value.Values];

    private static string Show(int[] values) => string.Join('×', values);
}
