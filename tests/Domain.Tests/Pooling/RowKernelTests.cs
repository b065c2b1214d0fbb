using System.Numerics;
using ConvService.Domain.Geometry;
using ConvService.Domain.Pooling.Reductions;
using ConvService.Domain.Pooling.Rows;
using ConvService.Domain.Pooling.Windows;
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
        var (rows, cols) = (AxisWindows.Adaptive(height, outHeight), AxisWindows.Adaptive(width, outWidth));
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
            var (rows, cols) = (AxisWindows.Fractional(outHeight), AxisWindows.Fractional(outWidth));
            rows.PlaceFractional(rowSample, height, kernel);
            cols.PlaceFractional(colSample, width, kernel);
            var plane = RowKernelCases.Plane<double>(new Random(width), height * width, nans: true);
            CheckMax<float>(plane, width, rows, cols, $"{height}×{width} k{kernel}");
            CheckMax<double>(plane, width, rows, cols, $"{height}×{width} k{kernel}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void VolumeAndLineWindows_MatchScalarLoopBitForBit(int seed)
    {
        var random = new Random(seed);
        var vectorized = 0;
        for (var trial = 0; trial < 40; trial++)
        {
            var (depth, height, width) = (random.Next(1, 6), random.Next(1, 7), RowKernelCases.Sizes[random.Next(RowKernelCases.Sizes.Length)]);
            var countPad = random.Next(2) == 0;
            var (depthAxis, depthName) = Pick(random, depth);
            var (heightAxis, heightName) = Pick(random, height);
            var (widthAxis, widthName) = Pick(random, width);
            var volume = PlaneWindows.Create([AxisWindows.Sliding(depthAxis, countPad), AxisWindows.Sliding(heightAxis, countPad), AxisWindows.Sliding(widthAxis, countPad)], [depth, height, width]);
            var line = PlaneWindows.Create([AxisWindows.Sliding(widthAxis, countPad)], [width]);
            var plane = RowKernelCases.Plane<double>(random, depth * height * width, nans: random.Next(2) == 0);
            var what = $"{depth}×{height}×{width} depth {depthName} rows {heightName} cols {widthName} countPad {countPad}";
            vectorized += RowLayout.Of(volume) is null ? 0 : 1;
            CheckMax<float>(plane, volume, what);
            CheckMax<double>(plane, volume, what);
            CheckMax<double>(plane[..width], line, $"line {width} {widthName}");
            foreach (var divisor in new int?[] { null, 5 })
            {
                CheckMean<float>(plane, volume, divisor, $"{what} divisor {divisor}");
                CheckMean<double>(plane, volume, divisor, $"{what} divisor {divisor}");
                CheckMean<double>(plane[..width], line, divisor, $"line {width} {widthName} divisor {divisor}");
            }

            // Dilated leading axes read one row per tap (max only).
            var dilated = PlaneWindows.Create(
                [AxisWindows.Sliding(WindowAxis.Create(depth, 2, 1, 2, 0, 0, ceilMode: true), true), AxisWindows.Sliding(WindowAxis.Create(height, 2, 2, 3, 1, 1), true), AxisWindows.Sliding(widthAxis, true)],
                [depth, height, width]);
            if (dilated.RowCount > 0)
                CheckMax<double>(plane, dilated, $"dilated {what}");
        }
        Assert.True(vectorized >= 30, $"only {vectorized} of 40 volumes took the row kernels");
    }

    [Theory]
    [InlineData(5, 7, 33, 2, 3, 11)]
    [InlineData(4, 4, 17, 4, 4, 17)]
    [InlineData(3, 9, 40, 5, 2, 13)]
    public void AdaptiveAndFractionalVolumes_MatchScalarLoopBitForBit(int depth, int height, int width, int outDepth, int outHeight, int outWidth)
    {
        var adaptive = PlaneWindows.Create([AxisWindows.Adaptive(depth, outDepth), AxisWindows.Adaptive(height, outHeight), AxisWindows.Adaptive(width, outWidth)], [depth, height, width]);
        var plane = RowKernelCases.Plane<double>(new Random(width), depth * height * width, nans: true);
        var what = $"{depth}×{height}×{width} → {outDepth}×{outHeight}×{outWidth}";
        CheckMax<float>(plane, adaptive, what);
        CheckMean<double>(plane, adaptive, null, what);

        AxisWindows[] axes = [AxisWindows.Fractional(Math.Min(outDepth, depth - 1)), AxisWindows.Fractional(Math.Min(outHeight, height - 1)), AxisWindows.Fractional(Math.Min(outWidth, width - 1))];
        axes[0].PlaceFractional(0.3, depth, 2);
        axes[1].PlaceFractional(0.7, height, 2);
        axes[2].PlaceFractional(0.1, width, 2);
        var fractional = PlaneWindows.Create(axes, [depth, height, width]);
        CheckMax<float>(plane, fractional, $"fractional {what}");
        CheckMax<double>(plane, fractional, $"fractional {what}");
    }

    private static (WindowAxis Axis, string Name) Pick(Random random, int input)
    {
        var axes = RowKernelCases.SlidingAxes(input).ToArray();
        return axes[random.Next(axes.Length)];
    }

    [Fact]
    public void MaxForward_KeepsTheFirstOfTiedSignedZeros()
    {
        var rows = AxisWindows.Sliding(WindowAxis.Create(1, 1, 1, 1, 0, 0), countIncludePad: true);
        var cols = AxisWindows.Sliding(WindowAxis.Create(40, 2, 1, 1, 0, 0), countIncludePad: true);
        var plane = Enumerable.Range(0, 40).Select(k => k % 2 == 0 ? -0.0f : 0.0f).ToArray();
        var (output, indices) = (new float[39], new int[39]);

        var windows = PlaneWindows.Create([rows, cols], [1, 40]);
        MaxReduction<float>.Reduce(plane, windows, output, default);
        MaxReduction<float>.Reduce(plane, windows, new float[39], indices);

        Assert.All(Enumerable.Range(0, 39), j => Assert.Equal(j % 2 == 0, float.IsNegative(output[j])));
        Assert.Equal(Enumerable.Range(0, 39), indices);
    }

    private delegate void PlaneCheck(double[] plane, int width, AxisWindows rows, AxisWindows cols, string what);

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
                    check(plane, width, AxisWindows.Sliding(rowAxis, countPad), AxisWindows.Sliding(colAxis, countPad), $"{height}×{width} rows {rowName} cols {colName} countPad {countPad}");
            }
        }
    }

    private static void CheckMax<T>(double[] source, int width, AxisWindows rows, AxisWindows cols, string what) where T : unmanaged, IFloatingPointIeee754<T> =>
        CheckMax<T>(source, PlaneWindows.Create([rows, cols], [source.Length / width, width]), what);

    private static void CheckMax<T>(double[] source, PlaneWindows windows, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var plane = source.Select(T.CreateTruncating).ToArray();
        var length = windows.OutputLength;
        var (expected, expectedIndices) = (new T[length], new int[length]);
        MaxReduction<T>.Scalar(plane, windows, expected, expectedIndices);
        var (values, valuesOnly, indices) = (new T[length], new T[length], new int[length]);
        MaxReduction<T>.Reduce(plane, windows, values, indices);
        MaxReduction<T>.Reduce(plane, windows, valuesOnly, default);
        RowKernelCases.BitwiseEqual<T>(expected, values, $"{typeof(T).Name} max {what}");
        RowKernelCases.BitwiseEqual<T>(expected, valuesOnly, $"{typeof(T).Name} max without indices {what}");
        RowKernelCases.BitwiseEqual<int>(expectedIndices, indices, $"{typeof(T).Name} max indices {what}");
    }

    private static void CheckMean<T>(double[] source, int width, AxisWindows rows, AxisWindows cols, int? divisor, string what) where T : unmanaged, IFloatingPointIeee754<T> =>
        CheckMean<T>(source, PlaneWindows.Create([rows, cols], [source.Length / width, width]), divisor, what);

    private static void CheckMean<T>(double[] source, PlaneWindows windows, int? divisor, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var plane = source.Select(x => T.IsFinite(T.CreateTruncating(x)) ? T.CreateTruncating(x) : T.CreateTruncating(0.625)).ToArray();
        var (expected, actual) = (new T[windows.OutputLength], new T[windows.OutputLength]);
        MeanReduction<T>.ScalarForward(plane, windows, divisor, expected);
        MeanReduction<T>.Reduce(plane, windows, divisor, actual);
        RowKernelCases.BitwiseEqual<T>(expected, actual, $"{typeof(T).Name} mean {what}");

        var gradOutput = expected.Select((_, k) => T.CreateTruncating(k % 7 - 3.3)).ToArray();
        var (expectedGrad, actualGrad) = (new T[plane.Length], new T[plane.Length]);
        MeanReduction<T>.ScalarBackward(gradOutput, windows, divisor, expectedGrad);
        MeanReduction<T>.Spread(gradOutput, windows, divisor, actualGrad);
        RowKernelCases.BitwiseEqual<T>(expectedGrad, actualGrad, $"{typeof(T).Name} mean backward {what}");
    }
}
