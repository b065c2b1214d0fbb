using System.Numerics;
using ConvService.Domain.Convolution;
using ConvService.Domain.Convolution.Kernels;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;
using ConvService.Domain.Tests.Support;

namespace ConvService.Domain.Tests.Convolution;

public class FastConvTests
{
    /// <summary>
    /// Shapes that cross every blocking edge: K past one depth block, pixels past one block, channels not a multiple of
    /// the tile, both workers; and the GEMM over outputs rather than virtual pixels, for stride 2 with rows long enough
    /// for the vector gather, and for stride 1 with output rows narrower than a float32 vector (8 of 12 columns). The last
    /// three have 128 or more output channels per group over few pixels, so their kernel gradient is the GEMM over
    /// outputs (KernelGradientGemm): K = 400 (a partial last panel of taps), two groups and two images (K = 144, whole
    /// panels), and stride 2 with dilation 2 (K = 216, 6 × 6 outputs gathered through the grid).
    /// </summary>
    private static readonly PaddedProblem[] Large =
    [
        new(2, 40, 30, 30, 10, 3, 3, 1, 1, 1, 1, 1),
        new(1, 64, 16, 16, 64, 3, 3, 1, 1, 1, 1, 1),
        new(2, 12, 41, 37, 18, 3, 5, 3, 2, 1, 2, 1),
        new(3, 1, 32, 32, 7, 5, 5, 1, 1, 2, 1, 1),
        new(1, 3, 61, 59, 13, 7, 7, 1, 1, 1, 1, 1),
        new(2, 8, 40, 71, 20, 3, 3, 1, 2, 2, 1, 1),
        new(1, 16, 12, 12, 256, 5, 5, 1, 1, 1, 1, 1),
        new(2, 32, 9, 9, 256, 3, 3, 2, 1, 1, 1, 1),
        new(2, 24, 15, 15, 136, 3, 3, 1, 2, 2, 2, 2),
    ];

    public static TheoryData<int> Seeds => [.. Enumerable.Range(0, Large.Length)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void AllThreeKernels_MatchTheNaiveReferenceInFloat64(int seed)
    {
        foreach (var problem in Problems(seed))
            Check<double>(problem, new Random(seed));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void AllThreeKernels_StayWithinSinglePrecisionOfTheReference(int seed)
    {
        foreach (var problem in Problems(seed))
            Check<float>(problem, new Random(seed));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void TheVector256Fallback_MatchesTheNaiveReferenceInFloat64(int seed)
    {
        foreach (var problem in Problems(seed))
            Check<double>(problem, new Random(seed), Vector256Kernels<double>());
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void TheVector256Fallback_StaysWithinSinglePrecisionOfTheReference(int seed)
    {
        foreach (var problem in Problems(seed))
            Check<float>(problem, new Random(seed), Vector256Kernels<float>());
    }

    /// <summary>
    /// The forward pass writes its last depth block straight into the output planes with masked stores (AVX-512; AVX2 copies
    /// C's block, and is checked here the same way). These shapes put a
    /// vector across a row's end (padded widths 16 and 17), across a block's end (1,518 virtual pixels), past a group's
    /// last real row (5 and 13 output channels), into one long row (1-D-like), and over outputs (stride 2); one is
    /// narrower than a float32 vector (15), so float32 takes C's block there while float64 goes direct. The last has two
    /// groups of eight output channels over two depth blocks (K = 144): the kernel read in place, not packed. With AVX-512
    /// its 16-wide output rows are read in place as whole vectors, where the depth runs in one block (InPlaceDepth);
    /// the last problem's K = 1,080 runs there as two blocks of 540.
    /// </summary>
    private static readonly PaddedProblem[] DirectStores =
    [
        new(2, 6, 16, 16, 13, 3, 3, 1, 1, 1, 1, 1),
        new(1, 4, 9, 17, 5, 3, 3, 1, 1, 1, 1, 1),
        new(2, 6, 12, 15, 6, 3, 3, 2, 1, 1, 1, 1),
        new(2, 3, 1, 70, 9, 1, 5, 1, 1, 1, 1, 1),
        new(1, 5, 21, 40, 11, 3, 3, 1, 2, 2, 1, 1),
        new(1, 3, 40, 40, 9, 3, 3, 1, 1, 1, 1, 1),
        new(1, 32, 18, 18, 16, 3, 3, 2, 1, 1, 1, 1),
        new(1, 120, 18, 18, 16, 3, 3, 1, 1, 1, 1, 1),
    ];

    [Fact]
    public void TheForwardPass_WritesEveryOutputOnce_AndNothingAroundTheOutput()
    {
        foreach (var problem in DirectStores)
        {
            CheckGuarded<float, Simd256<float>>(problem);
            CheckGuarded<double, Simd256<double>>(problem);
            if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
            {
                CheckGuarded<float, Simd512<float>>(problem);
                CheckGuarded<double, Simd512<double>>(problem);
            }
        }
    }

    private static void CheckGuarded<T, V>(PaddedProblem problem)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T> =>
        CheckGuarded<T>(problem, (g, x, w, b, y) => ForwardPass.Run<T, V>(g, x, w, b, y, CancellationToken.None), 1, $"forward ({typeof(V).Name})");

    /// <summary>
    /// <paramref name="forward"/> into the middle of a buffer of NaNs: the outputs match the reference (float32 within
    /// <paramref name="rounding"/> times the direct sums' rounding allowance), and both guards stay NaN.
    /// </summary>
    private static void CheckGuarded<T>(PaddedProblem problem, ForwardKernel<T> forward, double rounding, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int Guard = 64;
        var random = new Random(problem.GetHashCode());
        double[] x = Values(random, problem.InputLength), w = Values(random, problem.KernelLength), bias = Values(random, problem.Cout);
        var buffer = new T[Guard + problem.OutputLength + Guard];
        buffer.AsSpan().Fill(T.NaN);

        forward(Geometry(problem), Cast<T>(x), Cast<T>(w), Cast<T>(bias), buffer.AsSpan(Guard, problem.OutputLength));

        var tolerance = typeof(T) == typeof(double) ? 1e-10 : rounding * 3e-7 * problem.KernelLength / problem.Cout;
        Assertions.AllClose(problem.Forward(x, w, bias), Widen(buffer[Guard..^Guard]), tolerance, $"{what} of {problem}");
        Assert.All(buffer[..Guard].Concat(buffer[^Guard..]), value => Assert.True(T.IsNaN(value), $"a guard cell of {problem} was written by the {what}"));
    }

    /// <summary>
    /// A problem small enough for <see cref="SmallConv"/>'s scalar chains (the seed's is one) gets, bit for bit, what the
    /// GEMM gives it at either vector width: which path ran must never show in an answer. Small problems of every
    /// stride, dilation and group count, with and without bias, at both element types.
    /// </summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public void TheSmallProblemPath_GivesTheGemmsAnswersBitForBit(int seed)
    {
        var random = new Random(1000 + seed);
        var compared = 0;
        for (var trial = 0; trial < 60; trial++)
        {
            var groups = random.Next(1, 3);
            int kh = random.Next(1, 4), kw = random.Next(1, 4), dh = random.Next(1, 3), dw = random.Next(1, 3);
            var problem = new PaddedProblem(
                random.Next(1, 3), groups * random.Next(1, 4), (kh - 1) * dh + random.Next(1, 8), (kw - 1) * dw + random.Next(1, 8),
                groups * random.Next(1, 4), kh, kw, groups, random.Next(1, 3), random.Next(1, 3), dh, dw);
            if (!SmallConv.Fits(Geometry(problem)))
                continue;
            var withBias = random.Next(2) == 0;
            CheckSmall<float, Simd256<float>>(problem, random, withBias);
            CheckSmall<double, Simd256<double>>(problem, random, withBias);
            if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
            {
                CheckSmall<float, Simd512<float>>(problem, random, withBias);
                CheckSmall<double, Simd512<double>>(problem, random, withBias);
            }
            compared++;
        }
        Assert.True(compared >= 20, $"only {compared} of 60 drawn problems were small enough to compare");
    }

    private static void CheckSmall<T, V>(PaddedProblem problem, Random random, bool withBias)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var g = Geometry(problem);
        T[] x = Cast<T>(Values(random, problem.InputLength)), w = Cast<T>(Values(random, problem.KernelLength));
        var bias = withBias ? Cast<T>(Values(random, problem.Cout)) : [];
        T[] small = new T[problem.OutputLength], gemm = new T[problem.OutputLength];

        SmallConv.Forward<T>(g, x, w, bias, small);
        ForwardPass.Run<T, V>(g, x, w, bias, gemm, CancellationToken.None);

        Assert.True(
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(small.AsSpan()).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(gemm.AsSpan())),
            $"the scalar chains and the GEMM ({typeof(V).Name}) differ on {problem}, bias {withBias}: {string.Join(", ", small.Zip(gemm).Where(p => p.First != p.Second).Take(3))}");
    }

    /// <summary>
    /// The Winograd forward pass (F(2 × 2, 3 × 3)) at both vector widths and element types, over an already padded input:
    /// an odd number of output rows and columns (the last tiles half outside), output channels that fill no whole
    /// tile (20), and a plane wide enough for two vectors of tiles a row. Nothing outside the output is written.
    /// </summary>
    [Theory]
    [InlineData(4, 16, 35, 35, 20)]
    [InlineData(2, 24, 50, 66, 16)]
    public void TheWinogradForwardPass_GivesTheReferencesOutput(int n, int c, int hp, int wp, int cout)
    {
        var problem = new PaddedProblem(n, c, hp, wp, cout, 3, 3, 1, 1, 1, 1, 1);
        Assert.True(Winograd.Takes(Geometry(problem)), $"{problem} does not take the Winograd pass");
        CheckWinograd(problem);
    }

    /// <summary>
    /// The Winograd forward pass an image at a time with output channels shared among the workers, where an image has few
    /// tiles but many channels (as S3): two images of 7 × 8 tiles, the last row and column half outside; input channels
    /// (136) that fill no whole vector, so the kernel transform's last vector overlaps the one before; output channels
    /// (132) that fill no whole tile.
    /// </summary>
    [Fact]
    public void TheWinogradForwardPass_ByOutputChannels_GivesTheReferencesOutput()
    {
        var problem = new PaddedProblem(2, 136, 15, 17, 132, 3, 3, 1, 1, 1, 1, 1);
        Assert.True(Winograd.Takes(Geometry(problem)) && Winograd.ByOutputs(Geometry(problem)), $"{problem} does not take the Winograd pass by output channels");
        CheckWinograd(problem);

        // Through the public operator over the unpadded input (zero padding 1 all round, the input transform's to write).
        var (g, x, kernel, bias, expected) = ZeroPadded(2, 136, 13, 15, 132, new Spatial(1, 1), new Spatial(1, 1), 12);
        Assert.True(Winograd.ByOutputs(g) && FastConv.ReadsUnpadded<double>(g), "the zero-padded problem does not take the Winograd pass by output channels over its unpadded input");
        var output = new double[expected.Length];
        Conv.Forward<double>(g, x, kernel, bias, output);
        Assertions.AllClose(expected, output, 1e-10, "float64 through Conv.Forward");
    }

    /// <summary>
    /// The kernel gradient's dot products run over whole vectors of a block's tiles, so the lanes past its last tile must
    /// hold zeros, whatever the pooled buffers held before: 47 tile columns in blocks of 5 tile rows leave lanes 236–239 of
    /// 240 that no transform writes (the last row's vectors end at 236), and the tests' pool hands out buffers full of NaN
    /// (<see cref="PoisonedPool"/>); in float32 at both vector widths, against the reference.
    /// </summary>
    [Fact]
    public void TheWinogradKernelGradient_ReadsNothingItsPooledBuffersHeld()
    {
        var problem = new PaddedProblem(1, 16, 82, 96, 16, 3, 3, 1, 1, 1, 1, 1);
        var g = Geometry(problem);
        Assert.True(Winograd.TakesByTileRows(g), $"{problem} does not take Winograd's kernel gradient");
        var random = new Random(17);
        double[] x = Values(random, problem.InputLength), gy = Values(random, problem.OutputLength);
        var expected = problem.BackwardKernel(x, gy);
        var gradKernel = new float[problem.KernelLength];
        Winograd.KernelGradient<float, Simd256<float>>(g, Cast<float>(x), padded: true, Cast<float>(gy), gradKernel, CancellationToken.None);
        Assertions.AllClose(expected, Widen(gradKernel), 2e-6 * 80 * 94 / 100, "float32, AVX2");
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
        {
            Winograd.KernelGradient<float, Simd512<float>>(g, Cast<float>(x), padded: true, Cast<float>(gy), gradKernel, CancellationToken.None);
            Assertions.AllClose(expected, Widen(gradKernel), 2e-6 * 80 * 94 / 100, "float32, AVX-512");
        }
    }

    /// <summary>
    /// The 3-D forward pass by blocks of whole output planes (<see cref="Winograd.TakesByPlanes"/>): each output plane a
    /// 2-D Winograd convolution over the input channels times the kernel's depth taps. Kernel depths 3, 1 and 5 with zero
    /// padding in depth on neither, one or both sides (a block's planes past the volume are zeros); 15 × 13 outputs a
    /// plane, so the last tile row and column hang half outside and a plane's 56 tiles fill no whole float32 vector; 20
    /// output channels, no whole tile. Through Conv.Forward over the unpadded input (the transform writes
    /// the zeros) in float64 and float32, and over the input padded by hand at both vector widths where the machine has
    /// them; against the textbook sums.
    /// </summary>
    [Theory]
    [InlineData(3, 1, 0)]
    [InlineData(1, 0, 0)]
    [InlineData(5, 2, 1)]
    public void TheWinogradForwardPass_ByPlanes_GivesTheReferencesOutput(int depth, int front, int back)
    {
        var (n, c, d, h, w, cout) = (2, 16, 14, 16, 12, 20);
        var (begin, end) = (new Spatial(front, 1, 2), new Spatial(back, 0, 1));
        var options = new ConvOptions(3, Spatial.Repeat(1, 3), ConvPadding.Explicit(begin, end), Spatial.Repeat(1, 3), 1, PaddingMode.Zeros);
        var g = ConvGeometry.Create(new TensorShape(n, c, d, h, w), new TensorShape(cout, c, depth, 3, 3), new TensorShape(cout), options);
        Assert.True(Winograd.TakesByPlanes(g) && FastConv.ReadsUnpadded<double>(g), $"{g.InputShape} ⊛ {g.KernelShape} does not take the Winograd pass by planes");
        var problem = new ConvCase(SpatialForm.Batched, n, c, [d, h, w], cout, [depth, 3, 3], 1, [1, 1, 1], [1, 1, 1], options.Padding,
            [(front, back), (1, 0), (2, 1)], PaddingMode.Zeros);
        var random = new Random(13 + depth);
        double[] x = Values(random, problem.InputLength), kernel = Values(random, problem.KernelLength), bias = Values(random, cout);
        var expected = NdReference.Conv(problem, x, kernel, bias);
        // Sums of 16·depth·9 products; float32 rounds the transforms' intermediate values (up to a few times the inputs) too.
        var tolerance32 = 1.2e-6 * c * 9 * depth;

        var output64 = new double[expected.Length];
        Conv.Forward<double>(g, x, kernel, bias, output64);
        Assertions.AllClose(expected, output64, 1e-10, "float64 through Conv.Forward");
        var output32 = new float[expected.Length];
        Conv.Forward<float>(g, Cast<float>(x), Cast<float>(kernel), Cast<float>(bias), output32);
        Assertions.AllClose(expected, Widen(output32), tolerance32, "float32 through Conv.Forward");

        // Over the input padded by hand (as every other padding mode reaches the kernels): the same convolution unpadded.
        var (padded, valid) = PaddedByHand(g, x, begin, end);
        Assert.True(Winograd.TakesByPlanes(valid), "the padded problem does not take the Winograd pass by planes");
        CheckPlanes<double, Simd256<double>>(valid, padded, kernel, bias, expected, 1e-10);
        CheckPlanes<float, Simd256<float>>(valid, padded, kernel, bias, expected, tolerance32);
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
        {
            CheckPlanes<double, Simd512<double>>(valid, padded, kernel, bias, expected, 1e-10);
            CheckPlanes<float, Simd512<float>>(valid, padded, kernel, bias, expected, tolerance32);
        }
    }

    /// <summary>
    /// Both gradients of a 3-D convolution with a 3 × 3 × 3 kernel at stride 1 run as Winograd's by planes: the input
    /// gradient as the full convolution of gradOutput (itself such a convolution) over gradOutput unpadded, the kernel
    /// gradient as F(3 × 3, 2 × 2) with each depth tap's sums over the input planes under it. Zero padding 1 all round but
    /// none after in depth. Planes of 15 × 13 cells: the last tiles hang half outside, and a plane's 56 tiles fill no whole
    /// float32 vector. Planes of 4 × 30: two tile rows of 15, whose vectors end a lane short of a plane's 32 (the
    /// transforms must zero that lane of V and of gradOutput's transform, which the tests' pool fills with NaN). 18
    /// output channels, no whole block of rows. Through Conv.Backward in float64 and float32, and the kernel gradient
    /// over the input padded by hand at both vector widths where the machine has them; against the textbook chain rule.
    /// </summary>
    [Theory]
    [InlineData(12, 15, 13)]
    [InlineData(19, 4, 30)]
    public void The3DGradients_RunAsWinogradsByPlanes_AndGiveTheReferences(int d, int h, int w)
    {
        var (n, c, cout) = (2, 16, 18);
        var options = new ConvOptions(3, Spatial.Repeat(1, 3), ConvPadding.Explicit(new Spatial(1, 1, 1), new Spatial(0, 1, 1)), Spatial.Repeat(1, 3), 1, PaddingMode.Zeros);
        var g = ConvGeometry.Create(new TensorShape(n, c, d, h, w), new TensorShape(cout, c, 3, 3, 3), null, options);
        Assert.True(FullConvolution.WritesInput<float, Simd512<float>>(g) && Winograd.TakesGradient(FullConvolution.Geometry(g, new int[3], interior: true)),
            "the input gradient does not run as Winograd's forward pass by planes");
        Assert.True(Winograd.TakesGradient(g), "the kernel gradient does not run as Winograd's by planes");
        var problem = new ConvCase(SpatialForm.Batched, n, c, [d, h, w], cout, [3, 3, 3], 1, [1, 1, 1], [1, 1, 1], options.Padding,
            [(1, 0), (1, 1), (1, 1)], PaddingMode.Zeros);
        var random = new Random(21);
        double[] x = Values(random, problem.InputLength), kernel = Values(random, problem.KernelLength), gy = Values(random, problem.OutputLength);
        var (expectedInput, expectedKernel, _) = NdReference.ConvBackward(problem, x, kernel, gy);

        var tolerance32 = 2e-6 * n * d * h * w / 100;
        CheckBackward(g, x, kernel, gy, expectedInput, expectedKernel, 1.2e-6 * cout * 27, tolerance32);

        // Over the input padded by hand (as every other padding mode reaches the kernels).
        var (padded, valid) = PaddedByHand(g, x, new Spatial(1, 1, 1), new Spatial(0, 1, 1));
        Assert.True(Winograd.TakesGradient(valid), "the padded problem does not run as Winograd's by planes");
        CheckKernelGradient<double, Simd256<double>>(valid, padded, gy, expectedKernel, 1e-10);
        CheckKernelGradient<float, Simd256<float>>(valid, padded, gy, expectedKernel, tolerance32);
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
        {
            CheckKernelGradient<double, Simd512<double>>(valid, padded, gy, expectedKernel, 1e-10);
            CheckKernelGradient<float, Simd512<float>>(valid, padded, gy, expectedKernel, tolerance32);
        }
    }

    /// <summary>
    /// Both gradients through Conv.Backward against the references: float64 within 1e-10, float32 within the given
    /// tolerances (input gradient, kernel gradient).
    /// </summary>
    private static void CheckBackward(ConvGeometry g, double[] x, double[] kernel, double[] gy, double[] expectedInput, double[] expectedKernel, double inputTolerance32, double kernelTolerance32)
    {
        var (gradInput64, gradKernel64) = (new double[x.Length], new double[kernel.Length]);
        Conv.Backward<double>(g, x, kernel, gy, gradInput64, gradKernel64, default);
        Assertions.AllClose(expectedInput, gradInput64, 1e-10, "float64 input gradient through Conv.Backward");
        Assertions.AllClose(expectedKernel, gradKernel64, 1e-10, "float64 kernel gradient through Conv.Backward");
        var (gradInput32, gradKernel32) = (new float[x.Length], new float[kernel.Length]);
        Conv.Backward<float>(g, Cast<float>(x), Cast<float>(kernel), Cast<float>(gy), gradInput32, gradKernel32, default);
        Assertions.AllClose(expectedInput, Widen(gradInput32), inputTolerance32, "float32 input gradient through Conv.Backward");
        Assertions.AllClose(expectedKernel, Widen(gradKernel32), kernelTolerance32, "float32 kernel gradient through Conv.Backward");
    }

    private static void CheckKernelGradient<T, V>(ConvGeometry valid, double[] padded, double[] gy, double[] expected, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var gradKernel = new T[expected.Length];
        Winograd.KernelGradient<T, V>(valid, Cast<T>(padded), padded: true, Cast<T>(gy), gradKernel, CancellationToken.None);
        Assertions.AllClose(expected, Widen(gradKernel), tolerance, $"{typeof(V).Name} kernel gradient over the padded input");
    }

    /// <summary>
    /// The input <paramref name="x"/> of the zero-padded 3-D <paramref name="g"/> padded by hand, and the same
    /// convolution (with a bias) without padding over it.
    /// </summary>
    private static (double[] Padded, ConvGeometry Valid) PaddedByHand(ConvGeometry g, double[] x, Spatial begin, Spatial end)
    {
        var (d, h, w) = (g.Axes[0].Input, g.Axes[1].Input, g.Axes[2].Input);
        int[] sizes = [d + begin[0] + end[0], h + begin[1] + end[1], w + begin[2] + end[2]];
        var padded = new double[g.Batch * g.InChannels * sizes[0] * sizes[1] * sizes[2]];
        for (var i = 0; i < x.Length; i++)
        {
            var (plane, z, y, column) = (i / (d * h * w), i / (h * w) % d, i / w % h, i % w);
            padded[((plane * sizes[0] + z + begin[0]) * sizes[1] + y + begin[1]) * sizes[2] + column + begin[2]] = x[i];
        }
        var options = new ConvOptions(3, Spatial.Repeat(1, 3), ConvPadding.Valid, Spatial.Repeat(1, 3), 1, PaddingMode.Zeros);
        return (padded, ConvGeometry.Create(new TensorShape([g.Batch, g.InChannels, .. sizes]), g.KernelShape, new TensorShape(g.OutChannels), options));
    }

    private static void CheckPlanes<T, V>(ConvGeometry valid, double[] padded, double[] kernel, double[] bias, double[] expected, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var output = new T[expected.Length];
        Winograd.Forward<T, V>(valid, Cast<T>(padded), padded: true, Cast<T>(kernel), Cast<T>(bias), output, CancellationToken.None);
        Assertions.AllClose(expected, Widen(output), tolerance, $"{typeof(V).Name} over the padded input");
    }

    /// <summary>
    /// The pass by output channels holds a whole image's V (four values per input cell) at once, so a wide image of
    /// three tile rows takes it at 300 columns (8 MB of V in float64) and not at 3,000 (74 MB), which keeps the direct
    /// pass; nor do tile-row blocks take it (three rows are too few to share out).
    /// </summary>
    [Fact]
    public void AWideImageOfFewTileRows_KeepsTheDirectPass_PastWinogradsMemoryBound()
    {
        var options = new ConvOptions(2, new Spatial(1, 1), ConvPadding.Explicit(new Spatial(1, 1), new Spatial(1, 1)), new Spatial(1, 1), 1, PaddingMode.Zeros);
        ConvGeometry Wide(int width) => ConvGeometry.Create(new TensorShape(1, 128, 6, width), new TensorShape(128, 128, 3, 3), null, options);
        Assert.True(Winograd.ByOutputs(Wide(300)) && Winograd.Takes(Wide(300)), "300 columns do not take the pass by output channels");
        Assert.False(Winograd.ByOutputs(Wide(3000)) || Winograd.Takes(Wide(3000)), "3,000 columns take Winograd's pass");
    }

    /// <summary>
    /// A block of 3-D planes holds one output plane's M and its input planes' V at least, so planes of 64² cells take the
    /// pass by planes (8.5 MB in float64 for 16 → 16 channels and a kernel 3 deep) and planes of 512² (537 MB) keep the
    /// direct pass.
    /// </summary>
    [Fact]
    public void LargePlanes_KeepTheDirectPass_PastWinogradsMemoryBound()
    {
        var options = new ConvOptions(3, Spatial.Repeat(1, 3), ConvPadding.Explicit(Spatial.Repeat(1, 3), Spatial.Repeat(1, 3)), Spatial.Repeat(1, 3), 1, PaddingMode.Zeros);
        ConvGeometry Planes(int size) => ConvGeometry.Create(new TensorShape(1, 16, 8, size, size), new TensorShape(16, 16, 3, 3, 3), null, options);
        Assert.True(Winograd.TakesByPlanes(Planes(64)) && Winograd.Takes(Planes(64)), "planes of 64² do not take the pass by planes");
        Assert.False(Winograd.TakesByPlanes(Planes(512)) || Winograd.Takes(Planes(512)), "planes of 512² take Winograd's pass");
    }

    /// <summary><see cref="CheckWinograd{T, V}"/> in both element types at both vector widths where the machine has them.</summary>
    private static void CheckWinograd(PaddedProblem problem)
    {
        CheckWinograd<double, Simd256<double>>(problem);
        CheckWinograd<float, Simd256<float>>(problem);
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
        {
            CheckWinograd<double, Simd512<double>>(problem);
            CheckWinograd<float, Simd512<float>>(problem);
        }
    }

    /// <summary>
    /// A zero-padded 3 × 3 convolution at stride 1 of an n × c × h × w input to <paramref name="cout"/> channels with
    /// bias, padded <paramref name="begin"/> before and <paramref name="end"/> after on each axis: its geometry, random
    /// unpadded data, and the reference's output over the input padded by hand.
    /// </summary>
    private static (ConvGeometry G, double[] X, double[] Kernel, double[] Bias, double[] Expected) ZeroPadded(int n, int c, int h, int w, int cout, Spatial begin, Spatial end, int seed)
    {
        var options = new ConvOptions(2, new Spatial(1, 1), ConvPadding.Explicit(begin, end), new Spatial(1, 1), 1, PaddingMode.Zeros);
        var g = ConvGeometry.Create(new TensorShape(n, c, h, w), new TensorShape(cout, c, 3, 3), new TensorShape(cout), options);
        var random = new Random(seed);
        double[] x = Values(random, n * c * h * w), kernel = Values(random, cout * c * 9), bias = Values(random, cout);
        var problem = new PaddedProblem(n, c, h + begin[0] + end[0], w + begin[1] + end[1], cout, 3, 3, 1, 1, 1, 1, 1);
        return (g, x, kernel, bias, problem.Forward(Embed(x, n * c, h, w, problem, begin[0], begin[1]), kernel, bias));
    }

    private static void CheckWinograd<T, V>(PaddedProblem problem)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T> =>
        // The transforms' intermediate values run to a few times the inputs (|V| ≤ 4 max|d|): float32 gets 4× the rounding room.
        CheckGuarded<T>(problem, (g, x, w, b, y) => Winograd.Forward<T, V>(g, x, padded: true, w, b, y, CancellationToken.None), 4, $"Winograd forward ({typeof(V).Name})");

    /// <summary>
    /// Through the public operator, a zero-padded convolution takes the Winograd pass over its unpadded input, the padding
    /// written as the input transform lays out its rows: uneven padding on both axes (2 rows above, none below; 1 column
    /// left, 3 right, more than the kernel's reach), with bias, in float64 and float32, against the reference over the
    /// input padded by hand.
    /// </summary>
    [Fact]
    public void TheWinogradForwardPass_PadsTheInputItself()
    {
        var c = 16;
        var (g, x, kernel, bias, expected) = ZeroPadded(4, c, 31, 30, 17, new Spatial(2, 1), new Spatial(0, 3), 11);
        Assert.True(Winograd.Takes(g) && FastConv.ReadsUnpadded<double>(g), "the zero-padded problem does not take the Winograd pass over its unpadded input");

        var output64 = new double[expected.Length];
        Conv.Forward<double>(g, x, kernel, bias, output64);
        Assertions.AllClose(expected, output64, 1e-10, "float64 through Conv.Forward");
        var output32 = new float[expected.Length];
        Conv.Forward<float>(g, Cast<float>(x), Cast<float>(kernel), Cast<float>(bias), output32);
        Assertions.AllClose(expected, Widen(output32), 1.2e-6 * c * 9, "float32 through Conv.Forward");
    }

    /// <summary>
    /// Both gradients of a 3 × 3 convolution at stride 1 through Conv.Backward, over the unpadded input (zero padding 1
    /// above, below and left, 2 right; 33 × 32 outputs, so the last tile row hangs over the output's edge): the input
    /// gradient's full convolution (gradOutput padded by the kernel's reach, the kernel flipped) is itself such a
    /// convolution and runs as Winograd's forward pass, the kernel gradient as its transposed form F(3 × 3, 2 × 2), also
    /// over the same input padded by hand (as every padding mode reaches the kernels) at both vector widths where the
    /// machine has them; against the reference in float64 and float32. Input channels (20) fill no whole block of three
    /// columns and output channels (18) no whole block of rows: the kernel gradient's edges go as single dot products.
    /// </summary>
    [Fact]
    public void TheGradients_RunAsWinograds_AndGiveTheReferences()
    {
        var (n, c, h, w, cout) = (4, 20, 33, 31, 18);
        var options = new ConvOptions(2, new Spatial(1, 1), ConvPadding.Explicit(new Spatial(1, 1), new Spatial(1, 2)), new Spatial(1, 1), 1, PaddingMode.Zeros);
        var g = ConvGeometry.Create(new TensorShape(n, c, h, w), new TensorShape(cout, c, 3, 3), null, options);
        Assert.True(FullConvolution.WritesInput<float, Simd512<float>>(g) && Winograd.TakesByTileRows(FullConvolution.Geometry(g, new int[2], interior: true)),
            "the input gradient does not run as Winograd's forward pass");
        Assert.True(Winograd.TakesByTileRows(g), "the kernel gradient does not run as Winograd's");
        var problem = new PaddedProblem(n, c, h + 2, w + 3, cout, 3, 3, 1, 1, 1, 1, 1);
        var random = new Random(9);
        double[] x = Values(random, n * c * h * w), kernel = Values(random, cout * c * 9), gy = Values(random, problem.OutputLength);
        var padded = Embed(x, n * c, h, w, problem, 1, 1);
        var expectedInput = Crop(problem.BackwardData(gy, kernel), n * c, h, w, problem, 1, 1);
        var expected = problem.BackwardKernel(padded, gy);
        // Sums over 4 × 33 × 32 outputs: float32 rounds at about 1e-7 of their magnitude, Winograd's a few times that.
        var tolerance32 = 2e-6 * n * h * w / 100;

        CheckBackward(g, x, kernel, gy, expectedInput, expected, 1.2e-6 * cout * 9, tolerance32);

        // Over an already padded input (any padding mode reaches the kernels padded): pads 0, read where it lies.
        var valid = Geometry(problem);
        Assert.True(Winograd.TakesByTileRows(valid), "the padded problem does not run as Winograd's");
        var gradKernel = new double[kernel.Length];
        Winograd.KernelGradient<double, Simd256<double>>(valid, padded, padded: true, gy, gradKernel, CancellationToken.None);
        Assertions.AllClose(problem.BackwardKernel(padded, gy), gradKernel, 1e-10, "float64 kernel gradient, AVX2");
        var gradKernelSingle = new float[kernel.Length];
        Winograd.KernelGradient<float, Simd256<float>>(valid, Cast<float>(padded), padded: true, Cast<float>(gy), gradKernelSingle, CancellationToken.None);
        Assertions.AllClose(expected, Widen(gradKernelSingle), tolerance32, "float32 kernel gradient, AVX2");
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
        {
            Winograd.KernelGradient<double, Simd512<double>>(valid, padded, padded: true, gy, gradKernel, CancellationToken.None);
            Assertions.AllClose(expected, gradKernel, 1e-10, "float64 kernel gradient, AVX-512");
        }
    }

    /// <summary>
    /// AVX2's input gradient as the full forward convolution (stride 1, eight or more input channels per group) over
    /// gradOutput laid out compactly: two groups, a 3 × 5 kernel dilated by 2 along the height, against the reference in
    /// float64 and float32.
    /// </summary>
    [Fact]
    public void TheFullConvolution_GivesTheInputGradientOfTheReference()
    {
        var problem = new PaddedProblem(2, 16, 13, 17, 12, 3, 5, 2, 1, 1, 2, 1);
        Assert.True(FullConvolution.Helps<float, Simd256<float>>(Geometry(problem)), $"{problem} does not take the full convolution");
        Assert.True(CompactPadding.TakesGradOutput(FullConvolution.Geometry(Geometry(problem), new int[2], interior: false)), $"{problem}'s full convolution does not read gradOutput laid out compactly");
        var random = new Random(7);
        Check<double>(problem, random, Vector256Kernels<double>());
        Check<float>(problem, random, Vector256Kernels<float>());
    }

    /// <summary>
    /// A strided input gradient as one full convolution per stride phase, against the reference. Float64 at strides 2 × 3
    /// with two groups: a 3 × 5 kernel, so the phases' sub-kernels are 2 × 2, 2 × 2, 2 × 1, 1 × 2, 1 × 2 and 1 × 1 taps;
    /// 15 rows, so the second row phase runs one cell short; 18 columns, of which the last no window reaches (its gradient
    /// is zero). Float32 (two phases only) at stride 2 down the rows, with the columns dilated by 2.
    /// </summary>
    [Fact]
    public void TheFullConvolution_ByStridePhase_GivesTheInputGradientOfTheReference()
    {
        var strided = new PaddedProblem(2, 16, 15, 18, 12, 3, 5, 2, 2, 3, 1, 1);
        var dilated = new PaddedProblem(2, 8, 16, 19, 8, 4, 3, 1, 2, 1, 1, 2);
        Assert.True(FullConvolution.Helps<double, Simd256<double>>(Geometry(strided)), $"{strided} does not take the phases' full convolutions");
        Assert.False(FullConvolution.Helps<float, Simd256<float>>(Geometry(strided)), $"{strided}'s six phases take them in float32");
        Assert.True(FullConvolution.Helps<float, Simd256<float>>(Geometry(dilated)), $"{dilated} does not take the phases' full convolutions");
        var random = new Random(11);
        Check<double>(strided, random, Vector256Kernels<double>());
        Check<double>(dilated, random, Vector256Kernels<double>());
        Check<float>(dilated, random, Vector256Kernels<float>());
    }

    /// <summary>
    /// With AVX-512's 512-bit vectors, the full convolution only where it adds at most 8% cells, at stride 1: two groups of
    /// 8 input channels over rows of 200 (1% more) and S2's padded 58 × 58 with a 3 × 3 kernel (7.3% more) take it and
    /// give the reference's gradient; 36 × 36 (11% more) and a stride of 2 keep col2im there, though AVX2 takes both.
    /// </summary>
    [Fact]
    public void TheFullConvolution_WithWideVectors_IsUsedOnlyWhereItAddsFewCells()
    {
        var rows = new PaddedProblem(2, 16, 1, 200, 12, 1, 3, 2, 1, 1, 1, 1);
        var square = new PaddedProblem(1, 16, 58, 58, 16, 3, 3, 1, 1, 1, 1, 1);
        var smaller = new PaddedProblem(1, 16, 36, 36, 16, 3, 3, 1, 1, 1, 1, 1);
        var strided = new PaddedProblem(1, 16, 1, 201, 8, 1, 3, 1, 1, 2, 1, 1);
        Assert.True(FullConvolution.Helps<float, Simd512<float>>(Geometry(rows)), $"{rows} does not take the full convolution");
        Assert.True(FullConvolution.Helps<double, Simd512<double>>(Geometry(rows)), $"{rows} does not take the full convolution in float64");
        Assert.True(FullConvolution.Helps<float, Simd512<float>>(Geometry(square)), $"{square} does not take the full convolution");
        Assert.True(FullConvolution.Helps<double, Simd512<double>>(Geometry(square)), $"{square} does not take the full convolution in float64");
        Assert.False(FullConvolution.Helps<float, Simd512<float>>(Geometry(smaller)), $"{smaller} takes the full convolution");
        Assert.False(FullConvolution.Helps<double, Simd512<double>>(Geometry(smaller)), $"{smaller} takes the full convolution in float64");
        Assert.True(FullConvolution.Helps<float, Simd256<float>>(Geometry(smaller)), $"{smaller} does not take it with AVX2");
        Assert.False(FullConvolution.Helps<double, Simd512<double>>(Geometry(strided)), $"{strided} takes the phases' full convolutions");
        Assert.True(FullConvolution.Helps<double, Simd256<double>>(Geometry(strided)), $"{strided} does not take them with AVX2");
        if (!System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
            return;
        var random = new Random(13);
        Check<double>(rows, random, Vector512Kernels<double>());
        Check<float>(rows, random, Vector512Kernels<float>());
        Check<float>(square, random, Vector512Kernels<float>());
    }

    /// <summary>
    /// Over zero padding at stride 1, the full convolution computes the input's own cells straight into gradInput, with no
    /// padded layout to fold (<see cref="FullConvolution.RunInterior{T, V}"/>): S2's 56 × 56 padded by 1 with both vector
    /// widths, and with AVX2 a 3 × 3 kernel dilated by 2 padded by 2 (its whole reach) over two groups; each against the
    /// reference's gradient of the padded input, cropped to the input's cells, and through Conv.Backward as dispatched.
    /// </summary>
    [Fact]
    public void TheFullConvolutionsInterior_GivesTheInputGradientOfTheReference()
    {
        // In 3-D with 512-bit vectors, the interior up to 40% more cells (S6: 37%), not the padded layout; a 16³ volume by
        // this path is one of ConvNdTests' large shapes.
        var s6 = ConvGeometry.Create(new TensorShape(2, 16, 16, 16, 16), new TensorShape(32, 16, 3, 3, 3), null,
            ConvOptions.Default(3) with { Padding = ConvPadding.Explicit(new Spatial(1, 1, 1)) });
        Assert.True(FullConvolution.WritesInput<float, Simd512<float>>(s6), "S6 does not take the full convolution's interior");
        Assert.False(FullConvolution.Helps<float, Simd512<float>>(s6), "S6's padded input gradient takes the full convolution");
        var small = ConvGeometry.Create(new TensorShape(2, 16, 12, 12, 12), new TensorShape(16, 16, 3, 3, 3), null,
            ConvOptions.Default(3) with { Padding = ConvPadding.Explicit(new Spatial(1, 1, 1)) });
        Assert.False(FullConvolution.WritesInput<float, Simd512<float>>(small), "a 12³ volume (49% more cells) takes the full convolution's interior");

        var square = (Problem: new PaddedProblem(1, 16, 58, 58, 16, 3, 3, 1, 1, 1, 1, 1), Pad: 1);
        var dilated = (Problem: new PaddedProblem(2, 16, 24, 21, 12, 3, 3, 2, 1, 1, 2, 2), Pad: 2);
        var random = new Random(17);
        CheckInterior<double, Simd256<double>>(dilated.Problem, dilated.Pad, random);
        CheckInterior<float, Simd256<float>>(dilated.Problem, dilated.Pad, random);
        CheckInterior<double, Simd256<double>>(square.Problem, square.Pad, random);
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
        {
            CheckInterior<double, Simd512<double>>(square.Problem, square.Pad, random);
            CheckInterior<float, Simd512<float>>(square.Problem, square.Pad, random);
        }
    }

    /// <summary>
    /// A zero-padded kernel gradient whose columns step by more than one is split by stride phase straight from the
    /// unpadded input (<see cref="KernelGradient.RunZeroPadded{T, V}"/>), and the input gradient by col2im over the
    /// phases merges straight into the input's cells (<see cref="DataGradient.RunUnpadded{T, V}"/>; with AVX2, float64
    /// takes the phases' full convolutions instead): stride 2 × 3, padding 2 × 1 (17 + 2 + 2 padded rows at stride 2,
    /// 20 + 1 + 1 columns at stride 3, so phases run short), two groups, against the reference's gradients over the
    /// padded input (the input's, cropped), with both vector widths and through Conv.Backward.
    /// </summary>
    [Fact]
    public void TheStridedGradients_ReadAndWriteTheUnpaddedInput_AndGiveTheReferencesGradients()
    {
        var problem = new PaddedProblem(2, 16, 21, 22, 12, 3, 5, 2, 2, 3, 1, 1);
        var (padH, padW) = (2, 1);
        var random = new Random(23);
        CheckUnpaddedKernelGradient<double, Simd256<double>>(problem, padH, padW, random);
        CheckUnpaddedKernelGradient<float, Simd256<float>>(problem, padH, padW, random);
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
        {
            CheckUnpaddedKernelGradient<double, Simd512<double>>(problem, padH, padW, random);
            CheckUnpaddedKernelGradient<float, Simd512<float>>(problem, padH, padW, random);
        }
    }

    private static void CheckUnpaddedKernelGradient<T, V>(PaddedProblem problem, int padH, int padW, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var (h, w) = (problem.Hp - 2 * padH, problem.Wp - 2 * padW);
        var g = ConvGeometry.Create(
            new TensorShape(problem.N, problem.C, h, w), new TensorShape(problem.Cout, problem.C / problem.Groups, problem.KH, problem.KW), null,
            new ConvOptions(2, new Spatial(problem.SH, problem.SW), ConvPadding.Explicit(new Spatial(padH, padW)), new Spatial(problem.DH, problem.DW), problem.Groups, PaddingMode.Zeros));
        Assert.True(KernelGradient.ReadsUnpadded<T, V>(g), $"{problem} padded by {padH} × {padW} does not read its input unpadded");
        var padded = new double[problem.InputLength];
        var input = new double[problem.N * problem.C * h * w];
        for (var plane = 0; plane < problem.N * problem.C; plane++)
            for (var i = 0; i < h; i++)
                for (var j = 0; j < w; j++)
                    input[(plane * h + i) * w + j] = padded[(plane * problem.Hp + i + padH) * problem.Wp + j + padW] = random.NextDouble() * 4 - 2;
        var gy = Values(random, problem.OutputLength);
        var expected = problem.BackwardKernel(padded, gy);
        var tolerance = typeof(T) == typeof(double) ? 1e-10 : 3e-7 * problem.N * problem.Ho * problem.Wo;
        var gw = new T[problem.KernelLength];
        gw.AsSpan().Fill(T.NaN);
        KernelGradient.RunZeroPadded<T, V>(g, Cast<T>(input), Cast<T>(gy), gw, CancellationToken.None);
        Assertions.AllClose(expected, Widen(gw), tolerance, $"kernel gradient of {problem} from its unpadded input");

        var kernel = Values(random, problem.KernelLength);
        var paddedGradient = problem.BackwardData(gy, kernel);
        var expectedInput = new double[input.Length];
        for (var plane = 0; plane < problem.N * problem.C; plane++)
            for (var i = 0; i < h; i++)
                for (var j = 0; j < w; j++)
                    expectedInput[(plane * h + i) * w + j] = paddedGradient[(plane * problem.Hp + i + padH) * problem.Wp + j + padW];
        var inputTolerance = typeof(T) == typeof(double) ? 1e-10 : 3e-7 * problem.KernelLength;
        var gx = new T[input.Length];
        if (typeof(T) == typeof(float) || V.Count * System.Runtime.CompilerServices.Unsafe.SizeOf<T>() == 64)
        {
            Assert.True(DataGradient.MergesUnpadded<T, V>(g), $"{problem}'s input gradient does not merge into the unpadded input");
            gx.AsSpan().Fill(T.NaN);
            DataGradient.RunUnpadded<T, V>(g, Cast<T>(gy), Cast<T>(kernel), gx, CancellationToken.None);
            Assertions.AllClose(expectedInput, Widen(gx), inputTolerance, $"input gradient of {problem} merged into the unpadded input");
        }

        gx.AsSpan().Fill(T.NaN);
        gw.AsSpan().Fill(T.NaN);
        Conv.Backward<T>(g, Cast<T>(input), Cast<T>(kernel), Cast<T>(gy), gx, gw, default);
        Assertions.AllClose(expected, Widen(gw), tolerance, $"Conv.Backward's kernel gradient of {problem}");
        Assertions.AllClose(expectedInput, Widen(gx), inputTolerance, $"Conv.Backward's input gradient of {problem}");
    }

    /// <summary>
    /// The kernel gradient of a zero-padded 3-D convolution at stride 1 runs over the volume laid out compactly (S6);
    /// a 2-D one keeps the padded layout, whose sums the replay holds bit for bit. ConvNdTests' 16³ volume checks the
    /// answers against the reference.
    /// </summary>
    [Fact]
    public void TheKernelGradient_In3D_ReadsTheVolumeLaidOutCompactly()
    {
        var s6 = ConvGeometry.Create(new TensorShape(2, 16, 16, 16, 16), new TensorShape(32, 16, 3, 3, 3), null,
            ConvOptions.Default(3) with { Padding = ConvPadding.Explicit(new Spatial(1, 1, 1)) });
        var s2 = ConvGeometry.Create(new TensorShape(8, 64, 56, 56), new TensorShape(64, 64, 3, 3), null,
            ConvOptions.Default(2) with { Padding = ConvPadding.Explicit(new Spatial(1, 1)) });
        Assert.True(KernelGradient.ReadsUnpadded<float, Simd512<float>>(s6), "S6's kernel gradient does not read its input laid out compactly");
        Assert.True(KernelGradient.ReadsUnpadded<double, Simd256<double>>(s6), "S6's kernel gradient does not read its input laid out compactly in float64 with AVX2");
        Assert.False(KernelGradient.ReadsUnpadded<float, Simd512<float>>(s2), "S2's kernel gradient leaves the padded layout");
    }

    /// <summary>
    /// <paramref name="problem"/>'s input gradient with its padded input's border of <paramref name="pad"/> taken as zero
    /// padding: by <see cref="FullConvolution.RunInterior{T, V}"/> and by Conv.Backward, against the reference's, cropped.
    /// </summary>
    private static void CheckInterior<T, V>(PaddedProblem problem, int pad, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var (h, w) = (problem.Hp - 2 * pad, problem.Wp - 2 * pad);
        var g = ConvGeometry.Create(
            new TensorShape(problem.N, problem.C, h, w), new TensorShape(problem.Cout, problem.C / problem.Groups, problem.KH, problem.KW), null,
            new ConvOptions(2, new Spatial(1, 1), ConvPadding.Explicit(new Spatial(pad, pad)), new Spatial(problem.DH, problem.DW), problem.Groups, PaddingMode.Zeros));
        Assert.True(FullConvolution.WritesInput<T, V>(g), $"{problem} padded by {pad} does not take the full convolution's interior");
        double[] gy = Values(random, problem.OutputLength), kernel = Values(random, problem.KernelLength);
        var padded = problem.BackwardData(gy, kernel);
        var expected = new double[problem.N * problem.C * h * w];
        for (var plane = 0; plane < problem.N * problem.C; plane++)
            for (var i = 0; i < h; i++)
                for (var j = 0; j < w; j++)
                    expected[(plane * h + i) * w + j] = padded[(plane * problem.Hp + i + pad) * problem.Wp + j + pad];
        var tolerance = typeof(T) == typeof(double) ? 1e-10 : 3e-7 * problem.KernelLength;
        var gx = new T[expected.Length];
        gx.AsSpan().Fill(T.NaN);
        FullConvolution.RunInterior<T, V>(g, Cast<T>(gy), Cast<T>(kernel), gx, CancellationToken.None);
        Assertions.AllClose(expected, Widen(gx), tolerance, $"interior input gradient of {problem} padded by {pad}");

        var gw = new T[problem.KernelLength];
        gx.AsSpan().Fill(T.NaN);
        Conv.Backward<T>(g, Cast<T>(Values(random, expected.Length)), Cast<T>(kernel), Cast<T>(gy), gx, gw, default);
        Assertions.AllClose(expected, Widen(gx), tolerance, $"Conv.Backward's input gradient of {problem} padded by {pad}");
    }

    /// <summary>
    /// A 7 × 7 kernel over 8 × 8 (2 × 2 windows) would pad gradOutput to 14 × 14, three times col2im's 8 × 8 copy; eight
    /// times as many output channels as input channels would make it ten times the padded input: col2im keeps both.
    /// </summary>
    [Fact]
    public void TheFullConvolution_IsNotUsedWhereItsPaddedGradOutputWouldBeLarge()
    {
        Assert.False(FullConvolution.Helps<float, Simd256<float>>(Geometry(new PaddedProblem(1, 16, 8, 8, 16, 7, 7, 1, 1, 1, 1, 1))));
        Assert.True(FullConvolution.Helps<float, Simd256<float>>(Geometry(new PaddedProblem(1, 16, 40, 40, 16, 7, 7, 1, 1, 1, 1, 1))));
        // 8 input channels, 64 output channels: gradOutput padded is (64 · 46²) / (8 · 40²) = 10.6 times the padded input.
        Assert.False(FullConvolution.Helps<double, Simd256<double>>(Geometry(new PaddedProblem(1, 8, 40, 40, 64, 7, 7, 1, 1, 1, 1, 1))));
    }

    /// <summary>
    /// The kernel gradient's tasks: as many per group as give two workers one each (two for one group; one each for two
    /// groups; two for three groups, six tasks), cut where they read least, gradOutput counted 1.5 times for its spread
    /// copy: S2's rows in two (its input 6.9 MB, its gradOutput 6.4 MB), S5's taps in two (input 3.3 MB, gradOutput
    /// 1.6 MB), and no more blocks than tiles.
    /// </summary>
    [Fact]
    public void TheKernelGradientsTasks_AreCutWhereTheyReadLeast()
    {
        Assert.Equal((2, 1), KernelGradientJob<float, Simd256<float>>.Cut(1, 2, 8, 192, 6_889_472, 6_422_528));
        Assert.Equal((1, 2), KernelGradientJob<float, Simd256<float>>.Cut(1, 2, 16, 192, 3_326_976, 1_605_632));
        Assert.Equal((1, 1), KernelGradientJob<float, Simd256<float>>.Cut(2, 2, 8, 192, 6_889_472, 6_422_528));
        Assert.Equal((2, 1), KernelGradientJob<float, Simd256<float>>.Cut(3, 2, 8, 192, 6_889_472, 6_422_528));
        Assert.Equal((1, 2), KernelGradientJob<float, Simd256<float>>.Cut(1, 2, 1, 192, 6_889_472, 6_422_528));
        Assert.Equal((1, 1), KernelGradientJob<float, Simd256<float>>.Cut(1, 1, 8, 192, 6_889_472, 6_422_528));
    }

    [Fact]
    public void EveryKernel_ThrowsWhenCancelledBeforeItStarts()
    {
        var problem = Large[0];
        var g = Geometry(problem);
        var x = new double[problem.InputLength];
        var w = new double[problem.KernelLength];
        var y = new double[problem.OutputLength];
        var cancelled = new CancellationToken(canceled: true);

        Assert.Throws<OperationCanceledException>(() => FastConv.Forward<double>(g, x, w, default, y, cancelled));
        Assert.Throws<OperationCanceledException>(() => FastConv.BackwardData<double>(g, y, w, x, cancelled));
        Assert.Throws<OperationCanceledException>(() => FastConv.BackwardKernel<double>(g, x, y, w, cancelled));
    }

    private static IEnumerable<PaddedProblem> Problems(int seed)
    {
        var random = new Random(seed);
        for (var trial = 0; trial < 40; trial++)
            yield return Draw(random);
        yield return Large[seed % Large.Length];
    }

    private static PaddedProblem Draw(Random random)
    {
        var groups = random.Next(1, 4);
        int kh = random.Next(1, 5), kw = random.Next(1, 5), dh = random.Next(1, 3), dw = random.Next(1, 3);
        return new PaddedProblem(
            random.Next(1, 4), groups * random.Next(1, 6), (kh - 1) * dh + random.Next(1, 20), (kw - 1) * dw + random.Next(1, 20),
            groups * random.Next(1, 10), kh, kw, groups, random.Next(1, 4), random.Next(1, 4), dh, dw);
    }

    /// <summary>The three kernels as the machine runs them (Vector512 where it has AVX-512).</summary>
    private static Kernels<T> DispatchedKernels<T>() where T : unmanaged, IFloatingPointIeee754<T> => new(
        (g, x, w, b, y) => FastConv.Forward(g, x, w, b, y, CancellationToken.None),
        (g, gy, w, gx) => FastConv.BackwardData(g, gy, w, gx, CancellationToken.None),
        (g, x, gy, gw) => FastConv.BackwardKernel(g, x, gy, gw, CancellationToken.None));

    private static Kernels<T> Vector256Kernels<T>() where T : unmanaged, IFloatingPointIeee754<T> => new(
        (g, x, w, b, y) => ForwardPass.Run<T, Simd256<T>>(g, x, w, b, y, CancellationToken.None),
        (g, gy, w, gx) => DataGradient.Run<T, Simd256<T>>(g, gy, w, gx, CancellationToken.None),
        (g, x, gy, gw) => KernelGradient.Run<T, Simd256<T>>(g, x, gy, gw, CancellationToken.None));

    private static Kernels<T> Vector512Kernels<T>() where T : unmanaged, IFloatingPointIeee754<T> => new(
        (g, x, w, b, y) => ForwardPass.Run<T, Simd512<T>>(g, x, w, b, y, CancellationToken.None),
        (g, gy, w, gx) => DataGradient.Run<T, Simd512<T>>(g, gy, w, gx, CancellationToken.None),
        (g, x, gy, gw) => KernelGradient.Run<T, Simd512<T>>(g, x, gy, gw, CancellationToken.None));

    /// <summary>float64 within 1e-10 relative; float32 within its rounding over the sum's length.</summary>
    private static void Check<T>(PaddedProblem problem, Random random, Kernels<T>? kernels = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        kernels ??= DispatchedKernels<T>();
        Func<double, double> tolerance = typeof(T) == typeof(double) ? _ => 1e-10 : terms => 3e-7 * terms;
        double[] x = Values(random, problem.InputLength), w = Values(random, problem.KernelLength);
        double[] gy = Values(random, problem.OutputLength), bias = Values(random, problem.Cout);
        var g = Geometry(problem);
        var terms = (double)problem.KernelLength / problem.Cout;
        var y = new T[problem.OutputLength];
        var gx = new T[problem.InputLength];
        var gw = new T[problem.KernelLength];
        gx.AsSpan().Fill(T.NaN);
        gw.AsSpan().Fill(T.NaN);

        kernels.Forward(g, Cast<T>(x), Cast<T>(w), Cast<T>(bias), y);
        kernels.BackwardData(g, Cast<T>(gy), Cast<T>(w), gx);
        kernels.BackwardKernel(g, Cast<T>(x), Cast<T>(gy), gw);

        Assertions.AllClose(problem.Forward(x, w, bias), Widen(y), tolerance(terms), $"forward of {problem}");
        Assertions.AllClose(problem.BackwardData(gy, w), Widen(gx), tolerance(problem.Cout * terms), $"input gradient of {problem}");
        Assertions.AllClose(problem.BackwardKernel(x, gy), Widen(gw), tolerance(problem.N * problem.Ho * problem.Wo), $"kernel gradient of {problem}");
    }

    /// <summary>The geometry of a valid (unpadded) convolution over the already padded input.</summary>
    private static ConvGeometry Geometry(PaddedProblem p) => ConvGeometry.Create(
        new TensorShape(p.N, p.C, p.Hp, p.Wp), new TensorShape(p.Cout, p.C / p.Groups, p.KH, p.KW), null,
        new ConvOptions(2, new Spatial(p.SH, p.SW), ConvPadding.Valid, new Spatial(p.DH, p.DW), p.Groups, PaddingMode.Zeros));

    /// <summary><paramref name="planes"/> planes of h × w laid into <paramref name="problem"/>'s zero padded planes at (top, left).</summary>
    private static double[] Embed(double[] x, int planes, int h, int w, PaddedProblem problem, int top, int left)
    {
        var padded = new double[problem.InputLength];
        for (var plane = 0; plane < planes; plane++)
        {
            for (var row = 0; row < h; row++)
                Array.Copy(x, (plane * h + row) * w, padded, (plane * problem.Hp + row + top) * problem.Wp + left, w);
        }
        return padded;
    }

    /// <summary>The h × w window at (top, left) of each of <paramref name="problem"/>'s padded planes: <see cref="Embed"/> undone.</summary>
    private static double[] Crop(double[] padded, int planes, int h, int w, PaddedProblem problem, int top, int left)
    {
        var x = new double[planes * h * w];
        for (var plane = 0; plane < planes; plane++)
        {
            for (var row = 0; row < h; row++)
                Array.Copy(padded, (plane * problem.Hp + row + top) * problem.Wp + left, x, (plane * h + row) * w, w);
        }
        return x;
    }

    private static double[] Values(Random random, int count) => [.. Enumerable.Range(0, count).Select(_ => random.NextDouble() * 4 - 2)];

    private static T[] Cast<T>(double[] values) where T : unmanaged, IFloatingPointIeee754<T> => [.. values.Select(T.CreateTruncating)];

    private static double[] Widen<T>(T[] values) where T : unmanaged, IFloatingPointIeee754<T> => [.. values.Select(double.CreateTruncating)];

    private delegate void ForwardKernel<T>(ConvGeometry g, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> y);

    private delegate void GradientKernel<T>(ConvGeometry g, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> gradient);

    private sealed record Kernels<T>(ForwardKernel<T> Forward, GradientKernel<T> BackwardData, GradientKernel<T> BackwardKernel);
}
