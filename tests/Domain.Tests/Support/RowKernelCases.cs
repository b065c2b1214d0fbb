using System.Numerics;
using System.Runtime.InteropServices;
using ConvService.Domain.Geometry;

namespace ConvService.Domain.Tests.Support;

/// <summary>Sweeps of pooling windows and planes that reach every vector tail and border of the row kernels.</summary>
internal static class RowKernelCases
{
    /// <summary>Row and column widths: 1, odd and even, around Vector128/256/512 of float and double, and wider than a vector.</summary>
    public static readonly int[] Sizes = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 40];

    /// <summary>
    /// Sliding windows as max/avg/lp build them, every PyTorch-valid combination of kernel 1–4, stride 1–3, padding up
    /// to half the kernel and ceilMode over <paramref name="input"/>; deterministic per input size.
    /// </summary>
    public static IEnumerable<(WindowAxis Axis, string Name)> SlidingAxes(int input)
    {
        for (var kernel = 1; kernel <= 4; kernel++)
        for (var stride = 1; stride <= 3; stride++)
        for (var pad = 0; pad <= kernel / 2; pad++)
        foreach (var ceil in new[] { false, true })
        {
            if (kernel > input + 2 * pad)
                continue;
            yield return (WindowAxis.Create(input, kernel, stride, 1, pad, pad, ceil), $"k{kernel} s{stride} p{pad} ceil {ceil}");
        }
    }

    /// <summary>
    /// A plane of small integers with many ties, signed zeros and infinities, and NaNs where <paramref name="nans"/>:
    /// the cases where the order of the taps shows.
    /// </summary>
    public static T[] Plane<T>(Random random, int length, bool nans) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var plane = new T[length];
        for (var k = 0; k < length; k++)
        {
            plane[k] = random.Next(12) switch
            {
                0 => T.NegativeZero,
                1 => T.Zero,
                2 => T.NegativeInfinity,
                3 when nans => T.NaN,
                _ => T.CreateTruncating(random.Next(-3, 4) + random.Next(4) / 4.0),
            };
        }
        return plane;
    }

    /// <summary>Equal bit for bit (NaN, −0); the failure names the first differing element.</summary>
    public static void BitwiseEqual<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, string what) where T : unmanaged
    {
        Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} elements, got {actual.Length}");
        var e = MemoryMarshal.AsBytes(expected);
        var a = MemoryMarshal.AsBytes(actual);
        if (e.SequenceEqual(a))
            return;
        var size = e.Length / Math.Max(1, expected.Length);
        var at = e.CommonPrefixLength(a) / size;
        Assert.Fail($"{what}[{at}]: expected {expected[at]}, actual {actual[at]}");
    }
}
