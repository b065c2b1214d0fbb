using System.Numerics;
using ConvService.Domain.Convolution;
using ConvService.Domain.Convolution.Kernels;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Tests.Convolution;

/// <summary>
/// The 1-D forward pass read from the unpadded rows (<see cref="InteriorRows"/>: the interior by the GEMM in place, the
/// edge outputs each its own chain) against the forward pass over the input padded first: the same bits in every output,
/// since each output's sum runs over the same taps in the same order, a tap past the row reading a zero in either.
/// </summary>
public class InteriorRowsTests
{
    /// <summary>
    /// (input, kernel, padding begin, padding end, dilation, groups): S7's shape scaled down; padding at one end only, or
    /// wider at one end; dilation 2 and 3; padding wider than the kernel's reach (outputs that read only zeros); two
    /// groups; rows shorter than a vector, and one whose interior is a single output; many images and channels, so
    /// that the GEMM's pixel panels and depth blocks are cut several ways.
    /// </summary>
    public static TheoryData<int[], int[], int, int, int, int> Geometries => new()
    {
        { [2, 8, 100], [6, 8, 5], 2, 2, 1, 1 },
        { [3, 4, 37], [8, 4, 3], 0, 2, 1, 1 },
        { [1, 6, 50], [4, 3, 4], 3, 1, 2, 2 },
        { [2, 3, 29], [5, 3, 3], 5, 4, 3, 1 },
        { [1, 2, 9], [3, 2, 7], 4, 3, 1, 1 },
        { [2, 5, 7], [16, 5, 5], 6, 6, 1, 1 },
        { [1, 2, 5], [2, 2, 5], 2, 2, 1, 1 },
        { [4, 32, 300], [24, 32, 5], 2, 2, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void TheForwardPass_OverTheUnpaddedRows_GivesThePaddedPasssOutputBitForBit(int[] input, int[] kernel, int padBegin, int padEnd, int dilation, int groups)
    {
        var g = ConvGeometry.Create(new TensorShape(input), new TensorShape(kernel), new TensorShape(kernel[0]), new ConvOptions(
            1, new Spatial(1), ConvPadding.Explicit(new Spatial(padBegin), new Spatial(padEnd)), new Spatial(dilation), groups, PaddingMode.Zeros));
        Assert.True(InteriorRows.Takes(g), "the geometry has no interior to read in place");
        Check<float, Simd256<float>>(g, withBias: true);
        Check<double, Simd256<double>>(g, withBias: false);
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
        {
            Check<float, Simd512<float>>(g, withBias: false);
            Check<double, Simd512<double>>(g, withBias: true);
        }
    }

    [Theory]
    [InlineData(10, 3, 1, 1, 1, 1, 8)]   // outputs 1 … 8 read only the row
    [InlineData(10, 3, 0, 2, 1, 0, 8)]   // no padding before: the interior starts at output 0
    [InlineData(10, 3, 4, 0, 2, 4, 6)]   // dilation 2, padding 4 before: outputs 4 … 9
    [InlineData(4, 5, 6, 6, 1, 6, 0)]    // the kernel is longer than the row: no interior
    public void TheInterior_IsTheOutputsWhoseTapsAllLandInTheRow(int length, int kernel, int padBegin, int padEnd, int dilation, int first, int count)
    {
        var output = (length + padBegin + padEnd - dilation * (kernel - 1) - 1) + 1;
        var axis = new WindowAxis(length, kernel, 1, dilation, padBegin, padEnd, output);

        var interior = InteriorRows.Interior(axis);

        Assert.Equal((Math.Min(first, output), count), interior);
        // Every output in it reads only the row; the ones just outside it do not.
        for (var o = interior.First; o < interior.First + interior.Count; o++)
            Assert.All(Enumerable.Range(0, kernel), t => Assert.InRange(axis.Position(o, t), 0, length - 1));
        if (interior.First > 0)
            Assert.True(axis.Position(interior.First - 1, 0) < 0);
        if (count > 0 && interior.First + count < output)
            Assert.True(axis.Position(interior.First + count, kernel - 1) >= length);
    }

    [Fact]
    public void StridesPaddingModesAndOtherDimensionalities_KeepThePaddedPass()
    {
        ConvGeometry Make(int[] input, int[] kernel, Spatial stride, Spatial pad, PaddingMode mode) =>
            ConvGeometry.Create(new TensorShape(input), new TensorShape(kernel), null, new ConvOptions(
                input.Length - 2, stride, ConvPadding.Explicit(pad), Spatial.Repeat(1, input.Length - 2), 1, mode));

        Assert.True(InteriorRows.Takes(Make([1, 2, 20], [2, 2, 3], new Spatial(1), new Spatial(1), PaddingMode.Zeros)));
        Assert.False(InteriorRows.Takes(Make([1, 2, 20], [2, 2, 3], new Spatial(2), new Spatial(1), PaddingMode.Zeros)));
        Assert.False(InteriorRows.Takes(Make([1, 2, 20], [2, 2, 3], new Spatial(1), new Spatial(1), PaddingMode.Reflect)));
        Assert.False(InteriorRows.Takes(Make([1, 2, 20], [2, 2, 3], new Spatial(1), new Spatial(0), PaddingMode.Zeros)));
        Assert.False(InteriorRows.Takes(Make([1, 2, 9, 9], [2, 2, 3, 3], Spatial.Repeat(1, 2), Spatial.Repeat(1, 2), PaddingMode.Zeros)));
    }

    private static void Check<T, V>(ConvGeometry g, bool withBias)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var random = new Random(7);
        T[] Values(long count) => [.. Enumerable.Range(0, (int)count).Select(_ => T.CreateTruncating(random.NextDouble() * 4 - 2))];
        var (input, kernel) = (Values(g.InputShape.ElementCount!.Value), Values(g.KernelShape.ElementCount!.Value));
        var bias = withBias ? Values(g.OutChannels) : [];
        var padded = new T[g.PaddedShape.ElementCount!.Value];
        Padding.Pad<T>(input, g.Batch * g.InChannels, g.Axes.AsSpan(), PaddingMode.Zeros, padded);
        var outputs = (int)g.OutputShape.ElementCount!.Value;
        var expected = new T[outputs];
        ForwardPass.Run<T, V>(g, padded, kernel, bias, expected, CancellationToken.None);
        // The output between guard cells, which nothing may write.
        const int Guard = 64;
        var actual = Enumerable.Repeat(T.NaN, outputs + 2 * Guard).ToArray();
        ForwardPass.RunZeroPadded<T, V>(g, input, kernel, bias, actual.AsSpan(Guard, outputs), CancellationToken.None);

        var first = Enumerable.Range(0, outputs).FirstOrDefault(i => !expected[i].Equals(actual[Guard + i]), -1);
        Assert.True(first < 0, $"{typeof(T).Name}/{typeof(V).Name} on {g.InputShape}: output {first} is {(first < 0 ? default : actual[Guard + first])}, not {(first < 0 ? default : expected[first])}");
        Assert.All(actual.Take(Guard).Concat(actual.Skip(Guard + outputs)), cell => Assert.True(T.IsNaN(cell), "a guard cell was written"));
    }
}
