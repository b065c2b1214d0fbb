using System.Numerics;
using ConvService.Domain.Convolution;
using ConvService.Domain.Convolution.Kernels;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Tests.Convolution;

/// <summary>
/// The forward pass over the compact layout (rows sharing their padding zeros), written from the unpadded input, against
/// the forward pass over the input padded first: the same bits in every output, because each output's sum runs over the
/// same taps in the same order and a tap past the data reads a zero in either layout.
/// </summary>
public class CompactPaddingTests
{
    /// <summary>
    /// (input, kernel, padding begin, padding end, dilation, groups): 2-D and 3-D; padding wider at one end than the
    /// other, none on an axis, wider than the kernel's reach on its smaller side not at all (that does not fit); dilation 2;
    /// two groups; two images; rows longer and shorter than a vector of either element type; channels of 16² cells, which
    /// are skewed apart by a few more zeros.
    /// </summary>
    public static TheoryData<int[], int[], int[], int[], int[], int> Geometries => new()
    {
        { [2, 3, 14, 14], [5, 3, 3, 3], [1, 1], [1, 1], [1, 1], 1 },
        { [2, 3, 15, 15], [4, 3, 3, 3], [1, 1], [1, 1], [1, 1], 1 },
        { [1, 4, 9, 23], [6, 2, 3, 5], [2, 1], [0, 3], [1, 1], 2 },
        { [1, 2, 11, 7], [3, 2, 3, 3], [2, 2], [2, 1], [2, 2], 1 },
        { [2, 2, 5, 6, 7], [3, 2, 3, 3, 3], [1, 1, 1], [1, 0, 2], [1, 1, 1], 1 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void TheForwardPass_OverTheCompactLayout_GivesThePaddedLayoutsOutputBitForBit(int[] input, int[] kernel, int[] padBegin, int[] padEnd, int[] dilation, int groups)
    {
        var d = input.Length - 2;
        var g = ConvGeometry.Create(new TensorShape(input), new TensorShape(kernel), new TensorShape(kernel[0]), new ConvOptions(
            d, Spatial.Repeat(1, d), ConvPadding.Explicit(new Spatial(padBegin), new Spatial(padEnd)), new Spatial(dilation), groups, PaddingMode.Zeros));
        Assert.True(CompactPadding.Fits(g), "the geometry does not fit the compact layout");
        Check<float, Simd256<float>>(g);
        Check<double, Simd256<double>>(g);
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
        {
            Check<float, Simd512<float>>(g);
            Check<double, Simd512<double>>(g);
        }
    }

    /// <summary>
    /// Channels of 8 × 11 cells, of 16 × 16 (skewed apart), and of 6 × 5 and 16 × 16 from rows of 3 and 14: narrower than
    /// a vector of either element type, or (S3's 14 floats) than a 512-bit one only.
    /// </summary>
    [Theory]
    [InlineData(6, 9, 1, 2, 2, 0)]
    [InlineData(15, 15, 1, 1, 1, 1)]
    [InlineData(4, 3, 1, 1, 1, 1)]
    [InlineData(14, 14, 1, 1, 1, 1)]
    public void TheLayout_WritesEveryCell(int h, int w, int top, int left, int bottom, int right)
    {
        var g = ConvGeometry.Create(new TensorShape(2, 3, h, w), new TensorShape(2, 3, 3, 3), null, new ConvOptions(
            2, Spatial.Repeat(1, 2), ConvPadding.Explicit(new Spatial(top, left), new Spatial(bottom, right)), Spatial.Repeat(1, 2), 1, PaddingMode.Zeros));
        CheckLayout<float, Simd256<float>>(g);
        CheckLayout<double, Simd256<double>>(g);
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
        {
            CheckLayout<float, Simd512<float>>(g);
            CheckLayout<double, Simd512<double>>(g);
        }
    }

    private static void CheckLayout<T, V>(ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var cells = (int)g.InputShape.ElementCount!.Value;
        var input = Enumerable.Range(1, cells).Select(T.CreateTruncating).ToArray();
        var laid = new T[CompactPadding.Length(g)];
        laid.AsSpan().Fill(T.NaN);
        CompactPadding.Lay<T, V>(input, g, laid);
        Assert.DoesNotContain(laid, T.IsNaN);
        // Every input value once, in order, and nothing else but zeros.
        Assert.Equal(input, laid.Where(v => v != T.Zero));
    }

    [Fact]
    public void PaddingWiderThanTheKernelReachesOnBothSides_DoesNotFit()
    {
        // Padding 3 on both sides of a 3-wide kernel: 16 outputs from 12 inputs, more than the pitch of 15.
        var g = ConvGeometry.Create(new TensorShape(1, 1, 12, 12), new TensorShape(1, 1, 3, 3), null, new ConvOptions(
            2, Spatial.Repeat(1, 2), ConvPadding.Explicit(new Spatial(3, 3)), Spatial.Repeat(1, 2), 1, PaddingMode.Zeros));
        Assert.False(CompactPadding.Fits(g));
    }

    private static void Check<T, V>(ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var random = new Random(5);
        T[] Values(long count) => [.. Enumerable.Range(0, (int)count).Select(_ => T.CreateTruncating(random.NextDouble() * 4 - 2))];
        var (input, kernel, bias) = (Values(g.InputShape.ElementCount!.Value), Values(g.KernelShape.ElementCount!.Value), Values(g.OutChannels));
        var padded = new T[g.PaddedShape.ElementCount!.Value];
        Padding.Pad<T>(input, g.Batch * g.InChannels, g.Axes.AsSpan(), PaddingMode.Zeros, padded);
        T[] expected = new T[g.OutputShape.ElementCount!.Value], actual = new T[expected.Length];
        ForwardPass.Run<T, V>(g, padded, kernel, bias, expected, CancellationToken.None);
        ForwardPass.RunZeroPadded<T, V>(g, input, kernel, bias, actual, CancellationToken.None);

        var first = Enumerable.Range(0, expected.Length).FirstOrDefault(i => !expected[i].Equals(actual[i]), -1);
        Assert.True(first < 0, $"{typeof(T).Name}/{typeof(V).Name} on {g.InputShape}: output {first} is {(first < 0 ? default : actual[first])}, not {(first < 0 ? default : expected[first])}");
    }
}
