namespace ConvService.Api.Tests.Fuzz;

/// <summary>conv2d by its definition, one output at a time, with each padding mode's index rule written out.</summary>
public static class NaiveConv
{
    public static (int[] Shape, double[] Data) Forward(ConvProblem p)
    {
        var (n, c, h, w) = (p.Input[0], p.Input[1], p.Input[2], p.Input[3]);
        var (cout, cg, kh, kw) = (p.Kernel[0], p.Kernel[1], p.Kernel[2], p.Kernel[3]);
        var (top, bottom) = p.Pad(0);
        var (left, right) = p.Pad(1);
        var ho = (h + top + bottom - p.Dilation[0] * (kh - 1) - 1) / p.Stride[0] + 1;
        var wo = (w + left + right - p.Dilation[1] * (kw - 1) - 1) / p.Stride[1] + 1;
        var outPerGroup = cout / p.Groups;
        var output = new double[n * cout * ho * wo];
        for (var b = 0; b < n; b++)
        for (var o = 0; o < cout; o++)
        for (var i = 0; i < ho; i++)
        for (var j = 0; j < wo; j++)
        {
            var sum = p.Bias?[o] ?? 0;
            for (var ci = 0; ci < cg; ci++)
            for (var u = 0; u < kh; u++)
            for (var v = 0; v < kw; v++)
            {
                var (y, x) = (Source(i * p.Stride[0] - top + u * p.Dilation[0], h, p.PaddingMode), Source(j * p.Stride[1] - left + v * p.Dilation[1], w, p.PaddingMode));
                if (y < 0 || x < 0)
                    continue;
                var channel = o / outPerGroup * cg + ci;
                sum += p.InputData[((b * c + channel) * h + y) * w + x] * p.KernelData[((o * cg + ci) * kh + u) * kw + v];
            }
            output[((b * cout + o) * ho + i) * wo + j] = sum;
        }
        return ([n, cout, ho, wo], output);
    }

    /// <summary>The input index a padded position reads, or −1 for a zero.</summary>
    private static int Source(int position, int size, string mode) => position >= 0 && position < size ? position : mode switch
    {
        "reflect" => position < 0 ? -position : 2 * (size - 1) - position,
        "replicate" => Math.Clamp(position, 0, size - 1),
        "circular" => ((position % size) + size) % size,
        _ => -1,
    };
}
