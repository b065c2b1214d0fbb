using System.Numerics;
using ConvService.Domain.Convolution;
using ConvService.Domain.Geometry;

namespace ConvService.Domain.Tests.Convolution;

/// <summary>
/// Padding.Pad against its definition, cell by cell: padded cell (i…) is the input cell of <see cref="Padding.SourceIndex"/>
/// on every axis, or 0 where one of them is −1. Zero padding copies its rows by vectors of 16, 8 and 4 elements and then
/// single ones, or by the runtime's copy from 256 elements on, so the row widths here cover every mix of those.
/// </summary>
public class PaddingTests
{
    public static TheoryData<int> Widths => [1, 3, 4, 5, 7, 8, 9, 12, 14, 15, 16, 17, 23, 28, 31, 32, 33, 255, 256, 300];

    [Theory]
    [MemberData(nameof(Widths))]
    public void ZeroPadding_CopiesEveryRowBetweenZeros_AtEveryRowWidth(int width)
    {
        foreach (var mode in new[] { PaddingMode.Zeros, PaddingMode.Reflect, PaddingMode.Replicate, PaddingMode.Circular })
        {
            // 1-D, 2-D and 3-D, with unequal ends (reflect needs pads below the size).
            var pad = Math.Min(2, width - 1);
            Check<float>([WindowAxis.Create(width, 1, 1, 1, pad, pad == 0 ? 0 : 1)], mode, planes: 3);
            Check<double>([WindowAxis.Create(3, 1, 1, 1, 1, 0), WindowAxis.Create(width, 1, 1, 1, pad, 0)], mode, planes: 2);
            Check<float>([WindowAxis.Create(2, 1, 1, 1, 1, 1), WindowAxis.Create(3, 1, 1, 1, 0, 1), WindowAxis.Create(width, 1, 1, 1, Math.Min(1, pad), pad)], mode, planes: 2);
        }
    }

    private static void Check<T>(WindowAxis[] axes, PaddingMode mode, int planes)
        where T : unmanaged, INumberBase<T>
    {
        var sizes = axes.Select(axis => axis.Input).ToArray();
        var paddedSizes = axes.Select(axis => (int)axis.PaddedInput).ToArray();
        var (plane, paddedPlane) = (sizes.Aggregate(1, (a, b) => a * b), paddedSizes.Aggregate(1, (a, b) => a * b));
        // Distinct nonzero values, so a cell copied from the wrong place or left unwritten shows.
        var input = Enumerable.Range(1, planes * plane).Select(T.CreateChecked).ToArray();
        var padded = Enumerable.Repeat(T.CreateChecked(-7), planes * paddedPlane).ToArray();

        Padding.Pad<T>(input, planes, axes, mode, padded);

        for (var p = 0; p < planes; p++)
        {
            for (var cell = 0; cell < paddedPlane; cell++)
            {
                var (rest, source, zero) = (cell, 0, false);
                var inner = 1;
                for (var a = axes.Length - 1; a >= 0; a--)
                {
                    var index = Padding.SourceIndex(rest % paddedSizes[a], sizes[a], axes[a].PadBegin, mode);
                    zero |= index < 0;
                    source += Math.Max(index, 0) * inner;
                    (rest, inner) = (rest / paddedSizes[a], inner * sizes[a]);
                }
                var expected = zero ? T.Zero : input[p * plane + source];
                Assert.True(padded[p * paddedPlane + cell] == expected, $"{mode} {string.Join('×', sizes)} plane {p} cell {cell}: expected {expected}, got {padded[p * paddedPlane + cell]}");
            }
        }
    }
}
