using ConvService.Domain.Geometry;

namespace ConvService.Domain.Tests.Support;

/// <summary>
/// Textbook convolution and transposed convolution over any number of spatial axes, one product at a time, written from
/// the contract's formulas (API.md) and independent of the operators: (N, C, sizes…) inputs flattened row-major.
/// </summary>
internal static class NdReference
{
    /// <summary>
    /// <c>out[n,o,i…] = bias[o] + Σ_c Σ_p… x̂[n, g·C/groups + c, i·s − padBegin + p·d …] · w[o,c,p…]</c>, where x̂ reads
    /// the input through the padding mode (reflect, replicate, circular or zero).
    /// </summary>
    public static double[] Conv(ConvCase p, double[] x, double[] w, double[]? bias)
    {
        var output = new double[p.OutputLength];
        Terms(p, (xi, wi, yi) => output[yi] += x[xi] * w[wi]);
        if (bias is not null)
            for (var i = 0; i < output.Length; i++)
                output[i] += bias[i / Product(p.OutSizes) % p.Cout];
        return output;
    }

    /// <summary>
    /// The three gradients of <c>Σ gy · Conv(x, w, b)</c> by the chain rule, term by term: each product sends
    /// <c>gy·w</c> to the input cell it read (a padding cell's copy folds onto its source) and <c>gy·x</c> to the weight.
    /// </summary>
    public static (double[] GradInput, double[] GradKernel, double[] GradBias) ConvBackward(ConvCase p, double[] x, double[] w, double[] gy)
    {
        var (gx, gw, gb) = (new double[x.Length], new double[w.Length], new double[p.Cout]);
        Terms(p, (xi, wi, yi) =>
        {
            gx[xi] += gy[yi] * w[wi];
            gw[wi] += gy[yi] * x[xi];
        });
        for (var i = 0; i < gy.Length; i++)
            gb[i / Product(p.OutSizes) % p.Cout] += gy[i];
        return (gx, gw, gb);
    }

    /// <summary>Calls <paramref name="term"/>(input index, kernel index, output index) for every product of the sum that reads an input cell.</summary>
    private static void Terms(ConvCase p, Action<int, int, int> term)
    {
        var d = p.Sizes.Length;
        var (cg, og) = (p.C / p.Groups, p.Cout / p.Groups);
        var (plane, outPlane, taps) = (Product(p.Sizes), Product(p.OutSizes), Product(p.K));
        var at = new int[d];
        for (var b = 0; b < p.N; b++)
            for (var o = 0; o < p.Cout; o++)
                for (var oi = 0; oi < outPlane; oi++)
                {
                    var i = Unflatten(oi, p.OutSizes);
                    for (var ci = 0; ci < cg; ci++)
                        for (var t = 0; t < taps; t++)
                        {
                            var q = Unflatten(t, p.K);
                            var inside = true;
                            for (var a = 0; a < d; a++)
                            {
                                at[a] = Source(i[a] * p.Stride[a] - p.Pads[a].Begin + q[a] * p.Dilation[a], p.Sizes[a], p.Mode);
                                inside &= at[a] >= 0;
                            }
                            if (inside)
                                term((b * p.C + o / og * cg + ci) * plane + Flatten(at, p.Sizes), (o * cg + ci) * taps + t, (b * p.Cout + o) * outPlane + oi);
                        }
                }
    }

    /// <summary>
    /// Transposed convolution by scattering: every input cell adds <c>x[n, g·C/groups + c, i…] · w[g·C/groups + c, o, p…]</c> into
    /// output cell <c>i·s − padding + p·d</c> of channel <c>g·Cout/groups + o</c>, when that cell lies inside
    /// <c>O = (I − 1)·s − 2·padding + d·(K − 1) + outputPadding + 1</c>; then the bias.
    /// </summary>
    public static (double[] Output, int[] Sizes) ConvTranspose(double[] x, int n, int c, int[] sizes, double[] w, int coutPerGroup, int[] k, double[]? bias,
        int[] stride, int[] dilation, int[] padding, int[] outputPadding, int groups)
    {
        var d = sizes.Length;
        var outSizes = Enumerable.Range(0, d).Select(a => (sizes[a] - 1) * stride[a] - 2 * padding[a] + dilation[a] * (k[a] - 1) + outputPadding[a] + 1).ToArray();
        var (cg, cout) = (c / groups, coutPerGroup * groups);
        var (plane, outPlane, taps) = (Product(sizes), Product(outSizes), Product(k));
        var output = new double[n * cout * outPlane];
        var at = new int[d];
        for (var b = 0; b < n; b++)
            for (var ci = 0; ci < c; ci++)
                for (var ii = 0; ii < plane; ii++)
                {
                    var i = Unflatten(ii, sizes);
                    for (var o = 0; o < coutPerGroup; o++)
                        for (var t = 0; t < taps; t++)
                        {
                            var p = Unflatten(t, k);
                            var inside = true;
                            for (var a = 0; a < d; a++)
                            {
                                at[a] = i[a] * stride[a] - padding[a] + p[a] * dilation[a];
                                inside &= at[a] >= 0 && at[a] < outSizes[a];
                            }
                            if (inside)
                                output[(b * cout + ci / cg * coutPerGroup + o) * outPlane + Flatten(at, outSizes)] += x[(b * c + ci) * plane + ii] * w[(ci * coutPerGroup + o) * taps + t];
                        }
                }
        if (bias is not null)
            for (var i = 0; i < output.Length; i++)
                output[i] += bias[i / outPlane % cout];
        return (output, outSizes);
    }

    /// <summary>The input position a padded position copies under <paramref name="mode"/>, or −1 for a zero cell.</summary>
    public static int Source(int i, int size, PaddingMode mode)
    {
        if (i >= 0 && i < size)
            return i;
        return mode switch
        {
            PaddingMode.Zeros => -1,
            PaddingMode.Replicate => Math.Clamp(i, 0, size - 1),
            PaddingMode.Reflect => i < 0 ? -i : 2 * size - 2 - i,
            _ => ((i % size) + size) % size,
        };
    }

    public static int Product(int[] sizes) => sizes.Aggregate(1, (a, b) => a * b);

    private static int[] Unflatten(int index, int[] sizes)
    {
        var result = new int[sizes.Length];
        for (var a = sizes.Length - 1; a >= 0; a--)
        {
            result[a] = index % sizes[a];
            index /= sizes[a];
        }
        return result;
    }

    private static int Flatten(int[] index, int[] sizes)
    {
        var flat = 0;
        for (var a = 0; a < sizes.Length; a++)
            flat = flat * sizes[a] + index[a];
        return flat;
    }
}
