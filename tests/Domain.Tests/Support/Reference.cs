using ConvService.Domain.Geometry;

namespace ConvService.Domain.Tests.Support;

/// <summary>Textbook loops, written from the contract's formulas and independent of the operators under test.</summary>
internal static class Reference
{
    /// <summary>The value at (row, col) of a padded plane, by the padding mode's definition.</summary>
    public static double PaddedAt(double[] input, int plane, int h, int w, int row, int col, int padTop, int padLeft, PaddingMode mode)
    {
        var r = NdReference.Source(row - padTop, h, mode);
        var c = NdReference.Source(col - padLeft, w, mode);
        return r < 0 || c < 0 ? 0 : input[(plane * h + r) * w + c];
    }

    /// <summary>NCHW conv2d by the contract's formula, one output element at a time.</summary>
    public static double[] Conv2d(double[] input, int n, int c, int h, int w, double[] kernel, int cout, int kh, int kw,
        double[]? bias, int[] stride, (int Begin, int End)[] pad, int[] dilation, int groups, PaddingMode mode)
    {
        var ho = (h + pad[0].Begin + pad[0].End - dilation[0] * (kh - 1) - 1) / stride[0] + 1;
        var wo = (w + pad[1].Begin + pad[1].End - dilation[1] * (kw - 1) - 1) / stride[1] + 1;
        var cg = c / groups;
        var og = cout / groups;
        var output = new double[n * cout * ho * wo];
        for (var b = 0; b < n; b++)
            for (var o = 0; o < cout; o++)
                for (var i = 0; i < ho; i++)
                    for (var j = 0; j < wo; j++)
                    {
                        var sum = bias?[o] ?? 0;
                        for (var ci = 0; ci < cg; ci++)
                            for (var p = 0; p < kh; p++)
                                for (var q = 0; q < kw; q++)
                                {
                                    var plane = b * c + o / og * cg + ci;
                                    var x = PaddedAt(input, plane, h, w, i * stride[0] + p * dilation[0], j * stride[1] + q * dilation[1], pad[0].Begin, pad[1].Begin, mode);
                                    sum += x * kernel[((o * cg + ci) * kh + p) * kw + q];
                                }
                        output[((b * cout + o) * ho + i) * wo + j] = sum;
                    }
        return output;
    }
}
