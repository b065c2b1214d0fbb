using System.Numerics;
using ConvService.Domain.Geometry;
using ConvService.Domain.Pooling;
using ConvService.Domain.Tests.Support;

namespace ConvService.Domain.Tests.Pooling;

/// <summary>The row kernels against the plain per-window loops they replace: equal bit for bit, indices included.</summary>
public class RowKernelTests
{
    public static TheoryData<int> Heights => [.. RowKernelCases.Sizes];

    [Theory]
    [MemberData(nameof(Heights))]
    public void MaxForward_MatchesScalarLoopBitForBit(int height)
    {
        SweepSliding(height, (plane, width, rows, cols, what) =>
        {
            CheckMax<float>(plane, width, rows, cols, what);
            CheckMax<double>(plane, width, rows, cols, what);
        });
    }

    [Theory]
    [MemberData(nameof(Heights))]
    public void MeanForwardAndBackward_MatchScalarLoopBitForBit(int height)
    {
        SweepSliding(height, (plane, width, rows, cols, what) =>
        {
            foreach (var divisor in new int?[] { null, 3 })
            {
                CheckMean<float>(plane, width, rows, cols, divisor, $"{what} divisor {divisor}");
                CheckMean<double>(plane, width, rows, cols, divisor, $"{what} divisor {divisor}");
            }
        });
    }

    [Theory]
    [InlineData(7, 7, 3, 3)]
    [InlineData(40, 33, 20, 11)]
    [InlineData(17, 16, 8, 8)]
    [InlineData(9, 31, 5, 31)]
    [InlineData(5, 3, 7, 6)]
    public void AdaptiveWindows_MatchScalarLoopBitForBit(int height, int width, int outHeight, int outWidth)
    {
        var (rows, cols) = (PoolWindows.Adaptive(height, outHeight), PoolWindows.Adaptive(width, outWidth));
        var plane = RowKernelCases.Plane<double>(new Random(height * width), height * width, nans: true);
        var what = $"{height}×{width} → {outHeight}×{outWidth}";
        CheckMax<float>(plane, width, rows, cols, what);
        CheckMax<double>(plane, width, rows, cols, what);
        CheckMean<float>(plane, width, rows, cols, null, what);
        CheckMean<double>(plane, width, rows, cols, null, what);
    }

    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(0.3, 0.9)]
    [InlineData(0.99, 0.01)]
    public void FractionalWindows_MatchScalarLoopBitForBit(double rowSample, double colSample)
    {
        foreach (var (height, width, kernel, outHeight, outWidth) in new[] { (7, 9, 2, 5, 3), (40, 35, 3, 19, 17), (17, 33, 4, 13, 30) })
        {
            var (rows, cols) = (PoolWindows.Fractional(outHeight), PoolWindows.Fractional(outWidth));
            rows.PlaceFractional(rowSample, height, kernel);
            cols.PlaceFractional(colSample, width, kernel);
            var plane = RowKernelCases.Plane<double>(new Random(width), height * width, nans: true);
            CheckMax<float>(plane, width, rows, cols, $"{height}×{width} k{kernel}");
            CheckMax<double>(plane, width, rows, cols, $"{height}×{width} k{kernel}");
        }
    }

    [Fact]
    public void MaxForward_KeepsTheFirstOfTiedSignedZeros()
    {
        var rows = PoolWindows.Sliding(WindowAxis.Create(1, 1, 1, 1, 0, 0), countIncludePad: true);
        var cols = PoolWindows.Sliding(WindowAxis.Create(40, 2, 1, 1, 0, 0), countIncludePad: true);
        var plane = Enumerable.Range(0, 40).Select(k => k % 2 == 0 ? -0.0f : 0.0f).ToArray();
        var (output, indices) = (new float[39], new int[39]);

        MaxWindows.Forward<float>(plane, 40, rows, cols, output, default);
        MaxWindows.Forward<float>(plane, 40, rows, cols, new float[39], indices);

        Assert.All(Enumerable.Range(0, 39), j => Assert.Equal(j % 2 == 0, float.IsNegative(output[j])));
        Assert.Equal(Enumerable.Range(0, 39), indices);
    }

    private delegate void PlaneCheck(double[] plane, int width, PoolWindows rows, PoolWindows cols, string what);

    private static void SweepSliding(int height, PlaneCheck check)
    {
        var random = new Random(height);
        foreach (var width in RowKernelCases.Sizes)
        {
            var plane = RowKernelCases.Plane<double>(random, height * width, nans: random.Next(2) == 0);
            var rowAxes = RowKernelCases.SlidingAxes(height).ToArray();
            foreach (var (colAxis, colName) in RowKernelCases.SlidingAxes(width))
            {
                var (rowAxis, rowName) = rowAxes[random.Next(rowAxes.Length)];
                foreach (var countPad in new[] { true, false })
                    check(plane, width, PoolWindows.Sliding(rowAxis, countPad), PoolWindows.Sliding(colAxis, countPad), $"{height}×{width} rows {rowName} cols {colName} countPad {countPad}");
            }
        }
    }

    private static void CheckMax<T>(double[] source, int width, PoolWindows rows, PoolWindows cols, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var plane = source.Select(T.CreateTruncating).ToArray();
        var length = rows.Count * cols.Count;
        var (expected, expectedIndices) = (new T[length], new int[length]);
        MaxWindows.Scalar<T>(plane, width, rows, cols, expected, expectedIndices);
        var (values, valuesOnly, indices) = (new T[length], new T[length], new int[length]);
        MaxWindows.Forward<T>(plane, width, rows, cols, values, indices);
        MaxWindows.Forward<T>(plane, width, rows, cols, valuesOnly, default);
        RowKernelCases.BitwiseEqual<T>(expected, values, $"{typeof(T).Name} max {what}");
        RowKernelCases.BitwiseEqual<T>(expected, valuesOnly, $"{typeof(T).Name} max without indices {what}");
        RowKernelCases.BitwiseEqual<int>(expectedIndices, indices, $"{typeof(T).Name} max indices {what}");
    }

    private static void CheckMean<T>(double[] source, int width, PoolWindows rows, PoolWindows cols, int? divisor, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var plane = source.Select(x => T.IsFinite(T.CreateTruncating(x)) ? T.CreateTruncating(x) : T.CreateTruncating(0.625)).ToArray();
        var (expected, actual) = (new T[rows.Count * cols.Count], new T[rows.Count * cols.Count]);
        MeanWindows.ScalarForward<T>(plane, width, rows, cols, divisor, expected);
        MeanWindows.Forward<T>(plane, width, rows, cols, divisor, actual);
        RowKernelCases.BitwiseEqual<T>(expected, actual, $"{typeof(T).Name} mean {what}");

        var gradOutput = expected.Select((_, k) => T.CreateTruncating(k % 7 - 3.3)).ToArray();
        var (expectedGrad, actualGrad) = (new T[plane.Length], new T[plane.Length]);
        MeanWindows.ScalarBackward<T>(gradOutput, width, rows, cols, divisor, expectedGrad);
        MeanWindows.Backward<T>(gradOutput, width, rows, cols, divisor, actualGrad);
        RowKernelCases.BitwiseEqual<T>(expectedGrad, actualGrad, $"{typeof(T).Name} mean backward {what}");
    }
}
