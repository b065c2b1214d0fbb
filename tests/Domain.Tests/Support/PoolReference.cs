namespace ConvService.Domain.Tests.Support;

/// <summary>
/// Textbook pooling of one line, plane or volume (row-major, d = sizes.Length axes), written from the contract's
/// formulas and independent of the operators: every output cell walks its whole window by a multi-index, in
/// row-major window order. Indices are flat positions in the input's spatial extent.
/// </summary>
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

    /// <summary>Max over the taps o·s − pad + t·dil inside the input; a NaN wins (the last one), else the first maximum.</summary>
    public static (double[] Output, int[] Indices, int[] Sizes) Max(double[] x, int[] sizes, int[] k, int[] s, int[] pad, int[] dil, bool ceil)
    {
        var outSizes = Enumerable.Range(0, sizes.Length).Select(a => Windows(sizes[a], k[a], s[a], pad[a], dil[a], ceil)).ToArray();
        var (output, indices) = (new double[Product(outSizes)], new int[Product(outSizes)]);
        var cell = 0;
        foreach (var o in Odometer(outSizes))
        {
            var (best, at, nan) = (double.NegativeInfinity, -1, -1);
            foreach (var t in Odometer(k))
            {
                var position = Enumerable.Range(0, sizes.Length).Select(a => o[a] * s[a] - pad[a] + t[a] * dil[a]).ToArray();
                if (!Inside(position, sizes))
                    continue;
                var flat = Flat(position, sizes);
                if (double.IsNaN(x[flat]))
                    nan = flat;
                else if (at < 0 || x[flat] > best)
                    (best, at) = (x[flat], flat);
            }
            (output[cell], indices[cell]) = nan >= 0 ? (x[nan], nan) : (best, at);
            cell++;
        }
        return (output, indices, outSizes);
    }

    /// <summary>
    /// Σ over the window's input cells / divisor: the override, or the cells of the window inside the padded input
    /// (countIncludePad), or inside the input.
    /// </summary>
    public static (double[] Output, int[] Sizes) Avg(double[] x, int[] sizes, int[] k, int[] s, int[] pad, bool ceil, bool countPad, int? divisor)
    {
        var outSizes = Enumerable.Range(0, sizes.Length).Select(a => Windows(sizes[a], k[a], s[a], pad[a], 1, ceil)).ToArray();
        var output = new double[Product(outSizes)];
        var cell = 0;
        foreach (var o in Odometer(outSizes))
        {
            var (sum, inside, padded) = (0.0, 0, 0);
            foreach (var t in Odometer(k))
            {
                var position = Enumerable.Range(0, sizes.Length).Select(a => o[a] * s[a] - pad[a] + t[a]).ToArray();
                if (Enumerable.Range(0, sizes.Length).All(a => position[a] < sizes[a] + pad[a]))
                    padded++;
                if (Inside(position, sizes))
                    (sum, inside) = (sum + x[Flat(position, sizes)], inside + 1);
            }
            output[cell++] = inside == 0 ? 0 : sum / (divisor ?? (countPad ? padded : inside));
        }
        return (output, outSizes);
    }

    /// <summary>lp_pool: <c>(Σ x^p · K / inside)^(1/p)</c>, K the kernel's cells and inside the window's cells within the input.</summary>
    public static (double[] Output, int[] Sizes) Lp(double[] x, int[] sizes, int[] k, int[] s, bool ceil, double p)
    {
        var outSizes = Enumerable.Range(0, sizes.Length).Select(a => Windows(sizes[a], k[a], s[a], 0, 1, ceil)).ToArray();
        var output = new double[Product(outSizes)];
        var cell = 0;
        foreach (var o in Odometer(outSizes))
        {
            var (sum, inside) = (0.0, 0);
            foreach (var t in Odometer(k))
            {
                var position = Enumerable.Range(0, sizes.Length).Select(a => o[a] * s[a] + t[a]).ToArray();
                if (Inside(position, sizes))
                    (sum, inside) = (sum + Math.Pow(x[Flat(position, sizes)], p), inside + 1);
            }
            output[cell++] = Math.Pow(sum * Product(k) / inside, 1 / p);
        }
        return (output, outSizes);
    }

    /// <summary>Adaptive windows [floor(i·I/O), ceil((i+1)·I/O)) per axis: their max (first maximum) and flat position, and their mean.</summary>
    public static (double[] Max, int[] Indices, double[] Mean) Adaptive(double[] x, int[] sizes, int[] outSizes)
    {
        var (max, indices, mean) = (new double[Product(outSizes)], new int[Product(outSizes)], new double[Product(outSizes)]);
        var cell = 0;
        foreach (var o in Odometer(outSizes))
        {
            var begin = Enumerable.Range(0, sizes.Length).Select(a => (int)Math.Floor((double)o[a] * sizes[a] / outSizes[a])).ToArray();
            var end = Enumerable.Range(0, sizes.Length).Select(a => (int)Math.Ceiling((o[a] + 1.0) * sizes[a] / outSizes[a])).ToArray();
            var (best, at, sum, count) = (double.NegativeInfinity, -1, 0.0, 0);
            foreach (var t in Odometer(Enumerable.Range(0, sizes.Length).Select(a => end[a] - begin[a]).ToArray()))
            {
                var flat = Flat([.. Enumerable.Range(0, sizes.Length).Select(a => begin[a] + t[a])], sizes);
                if (at < 0 || x[flat] > best)
                    (best, at) = (x[flat], flat);
                (sum, count) = (sum + x[flat], count + 1);
            }
            (max[cell], indices[cell], mean[cell]) = (best, at, sum / count);
            cell++;
        }
        return (max, indices, mean);
    }

    /// <summary>
    /// Fractional windows of k cells per axis starting at <c>floor((i + u)·α) − floor(u·α)</c>, α = (I − K)/(O − 1),
    /// the last at I − K; <paramref name="u"/> holds each axis's sample (axis order, not PyTorch's sample order).
    /// </summary>
    public static (double[] Output, int[] Indices) Fractional(double[] x, int[] sizes, int[] k, int[] outSizes, double[] u)
    {
        var starts = Enumerable.Range(0, sizes.Length).Select(a => Enumerable.Range(0, outSizes[a]).Select(i =>
            i == outSizes[a] - 1 ? sizes[a] - k[a] : (int)((i + u[a]) * ((double)(sizes[a] - k[a]) / (outSizes[a] - 1))) - (int)(u[a] * ((double)(sizes[a] - k[a]) / (outSizes[a] - 1)))).ToArray()).ToArray();
        var (output, indices) = (new double[Product(outSizes)], new int[Product(outSizes)]);
        var cell = 0;
        foreach (var o in Odometer(outSizes))
        {
            var (best, at) = (double.NegativeInfinity, -1);
            foreach (var t in Odometer(k))
            {
                var flat = Flat([.. Enumerable.Range(0, sizes.Length).Select(a => starts[a][o[a]] + t[a])], sizes);
                if (at < 0 || x[flat] > best)
                    (best, at) = (x[flat], flat);
            }
            (output[cell], indices[cell]) = (best, at);
            cell++;
        }
        return (output, indices);
    }

    /// <summary>Every multi-index below <paramref name="extents"/>, last axis fastest.</summary>
    public static IEnumerable<int[]> Odometer(int[] extents)
    {
        if (extents.Any(e => e <= 0))
            yield break;
        var index = new int[extents.Length];
        while (true)
        {
            yield return (int[])index.Clone();
            var axis = extents.Length - 1;
            while (axis >= 0 && ++index[axis] == extents[axis])
                index[axis--] = 0;
            if (axis < 0)
                yield break;
        }
    }

    public static int Product(int[] values) => values.Aggregate(1, (p, v) => p * v);

    private static bool Inside(int[] position, int[] sizes) => Enumerable.Range(0, sizes.Length).All(a => position[a] >= 0 && position[a] < sizes[a]);

    private static int Flat(int[] position, int[] sizes) => Enumerable.Range(0, sizes.Length).Aggregate(0, (flat, a) => flat * sizes[a] + position[a]);
}
