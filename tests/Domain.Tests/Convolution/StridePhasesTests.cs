using System.Numerics;
using ConvService.Domain.Convolution;
using ConvService.Domain.Convolution.Kernels;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Tests.Convolution;

/// <summary>
/// The stride-phase split of a zero-padded input, written from the unpadded input (the forward pass's way since the
/// padding moved into the split), against the split of the input padded first (the way every other pass and padding
/// mode takes): the same bits, cell for cell, including the zeros of the padding and of phases that run short.
/// </summary>
public class StridePhasesTests
{
    /// <summary>
    /// (input, kernel, stride, padding begin, padding end): 1-D, 2-D and 3-D; strides 2 and 3; padding wider at one end
    /// than the other, none on an axis, and wider than the stride; sizes whose padded lengths the stride does not divide
    /// (phases one cell short); rows long enough for whole vectors of both element types and rows shorter than one.
    /// </summary>
    public static TheoryData<int[], int[], int[], int[], int[]> Geometries => new()
    {
        { [2, 3, 37], [4, 3, 3], [2], [1], [1] },
        { [1, 2, 41], [2, 2, 5], [3], [2], [4] },
        { [2, 3, 19, 23], [4, 3, 3, 3], [2, 2], [1, 1], [1, 1] },
        { [1, 4, 20, 35], [3, 4, 5, 4], [2, 3], [0, 2], [3, 1] },
        { [1, 2, 9, 7], [2, 2, 3, 3], [1, 2], [1, 0], [1, 0] },
        { [1, 2, 7, 9, 11], [2, 2, 3, 3, 3], [2, 1, 2], [1, 1, 1], [1, 2, 0] },
        // Large enough for two workers (ParallelSplit.ElementsPerWorker), whose bands of rows end mid-channel.
        { [1, 5, 211, 257], [2, 5, 3, 3], [2, 2], [1, 1], [1, 1] },
        { [3, 1, 300001], [2, 1, 5], [2], [2], [2] },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void SplittingTheUnpaddedInput_GivesTheSplitOfThePaddedInput(int[] input, int[] kernel, int[] stride, int[] padBegin, int[] padEnd)
    {
        var g = ConvGeometry.Create(new TensorShape(input), new TensorShape(kernel), null, new ConvOptions(
            input.Length - 2, new Spatial(stride), ConvPadding.Explicit(new Spatial(padBegin), new Spatial(padEnd)), Spatial.Repeat(1, input.Length - 2), 1, PaddingMode.Zeros));
        Assert.True(StridePhases.Helps(g), "the geometry is not split by stride phase");
        Check<float, Simd256<float>>(g);
        Check<double, Simd256<double>>(g);
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
        {
            Check<float, Simd512<float>>(g);
            Check<double, Simd512<double>>(g);
        }
    }

    [Fact]
    public void SplittingUnpadded_RefusesPaddingModesOtherThanZeros()
    {
        var g = ConvGeometry.Create(new TensorShape(1, 1, 9), new TensorShape(1, 1, 3), null, new ConvOptions(
            1, new Spatial(2), ConvPadding.Explicit(new Spatial(1)), new Spatial(1), 1, PaddingMode.Reflect));
        var split = new float[StridePhases.Length(g)];
        Assert.Throws<ArgumentException>(() => StridePhases.SplitZeroPadded<float, Simd256<float>>(new float[9], g, split, byBands: true));
    }

    private static void Check<T, V>(ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var random = new Random(3);
        var input = new T[g.InputShape.ElementCount!.Value];
        for (var i = 0; i < input.Length; i++)
            input[i] = T.CreateTruncating(random.Next(1, 1000));
        var padded = new T[g.PaddedShape.ElementCount!.Value];
        Padding.Pad<T>(input, g.Batch * g.InChannels, g.Axes.AsSpan(), PaddingMode.Zeros, padded);

        // NaN where neither split writes would show as a mismatch against the other's zeros or values.
        var expected = new T[StridePhases.Length(g)];
        expected.AsSpan().Fill(T.NaN);
        StridePhases.Split<T, V>(padded, g, expected, byBands: false);
        Assert.DoesNotContain(expected, T.IsNaN);
        // Shared out by channels or by bands of rows, from the padded input or the unpadded one: the same cells.
        foreach (var (byBands, unpadded) in new[] { (false, true), (true, true), (true, false) })
        {
            var actual = new T[StridePhases.Length(g)];
            actual.AsSpan().Fill(T.NaN);
            if (unpadded)
                StridePhases.SplitZeroPadded<T, V>(input, g, actual, byBands);
            else
                StridePhases.Split<T, V>(padded, g, actual, byBands);
            var first = Enumerable.Range(0, expected.Length).FirstOrDefault(i => !expected[i].Equals(actual[i]), -1);
            Assert.True(first < 0, $"{typeof(T).Name}/{typeof(V).Name} on {g.InputShape}, by bands {byBands}, unpadded {unpadded}: cell {first} is {(first < 0 ? default : actual[first])}, not {(first < 0 ? default : expected[first])}");
        }
    }
}
