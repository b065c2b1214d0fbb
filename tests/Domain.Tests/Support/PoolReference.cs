namespace ConvService.Domain.Tests.Support;

/// <summary>Textbook pooling of one (H, W) plane, written from the contract's formulas and independent of the operators.</summary>
internal static class PoolReference
{
    /// <summary>
    /// PyTorch's pooling output size by counting windows: floor mode keeps a window that ends inside the padded input;
    /// ceil mode keeps one that starts inside input + begin padding and whose predecessor ends before the padded input does.
    /// </summary>
    public static int Windows(int input, int kernel, int stride, int pad, int dilation, bool ceil)
    {
        var span = input + 2 * pad - (dilation * (kernel - 1) + 1);
        var count = 0;
        while (ceil ? count * stride < input + pad && (count - 1) * stride < span : count * stride <= span)
            count++;
        return count;
    }

    /// <summary>max over taps (i·s − pad + a·d, j·s − pad + b·d) inside the plane; flat position of the first maximum.</summary>
    public static (double[] Output, int[] Indices, int Ho, int Wo) Max(double[] x, int h, int w, int k, int s, int pad, int d, bool ceil)
    {
        int ho = Windows(h, k, s, pad, d, ceil), wo = Windows(w, k, s, pad, d, ceil);
        var output = new double[ho * wo];
        var indices = new int[ho * wo];
        for (var i = 0; i < ho; i++)
            for (var j = 0; j < wo; j++)
            {
                var (best, at) = (double.NegativeInfinity, -1);
                for (var a = 0; a < k; a++)
                    for (var b = 0; b < k; b++)
                    {
                        int r = i * s - pad + a * d, c = j * s - pad + b * d;
                        if (r >= 0 && r < h && c >= 0 && c < w && (at < 0 || x[r * w + c] > best))
                            (best, at) = (x[r * w + c], r * w + c);
                    }
                (output[i * wo + j], indices[i * wo + j]) = (best, at);
            }
        return (output, indices, ho, wo);
    }

    /// <summary>Σ over the window's input cells / (override, or cells of the window inside the padded input, or inside the input).</summary>
    public static double[] Avg(double[] x, int h, int w, int k, int s, int pad, bool ceil, bool countPad, int? divisor)
    {
        int ho = Windows(h, k, s, pad, 1, ceil), wo = Windows(w, k, s, pad, 1, ceil);
        var output = new double[ho * wo];
        for (var i = 0; i < ho; i++)
            for (var j = 0; j < wo; j++)
            {
                var (sum, inside, padded) = (0.0, 0, 0);
                for (var a = 0; a < k; a++)
                    for (var b = 0; b < k; b++)
                    {
                        int r = i * s - pad + a, c = j * s - pad + b;
                        if (r < h + pad && c < w + pad)
                            padded++;
                        if (r >= 0 && r < h && c >= 0 && c < w)
                            (sum, inside) = (sum + x[r * w + c], inside + 1);
                    }
                output[i * wo + j] = sum / (divisor ?? (countPad ? padded : inside));
            }
        return output;
    }
}
