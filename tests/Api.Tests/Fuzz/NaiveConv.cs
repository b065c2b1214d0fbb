namespace ConvService.Api.Tests.Fuzz;

/// <summary>
/// conv2d and its gradients by their definitions, one output and one tap at a time, with each padding mode's index
/// rule written out: out[n,o,i,j] = bias[o] + Σ_c Σ_u Σ_v x[n, g·C/groups + c, i·s − pad + u·d, j·s − pad + v·d] · w[o,c,u,v];
/// each gradient adds gradOut[n,o,i,j] times the other factor to the cell that factor came from (a padded cell's
/// gradient goes to the cell it copies). Values are taken as the request's dtype holds them; sums are in double.
/// </summary>
public static class NaiveConv
{
    public static Expected Forward(ConvProblem p)
    {
        var shape = p.OutputShape;
        var (output, scale) = (new double[Count(shape)], new double[Count(shape)]);
        Walk(p, (outIndex, inIndex, kIndex, o) =>
        {
            var product = p.Typed(p.InputData[inIndex]) * p.Typed(p.KernelData[kIndex]);
            output[outIndex] += product;
            scale[outIndex] += Math.Abs(product);
        });
        if (p.Bias is { } bias)
        {
            for (var i = 0; i < output.Length; i++)
            {
                var o = i / (shape[2] * shape[3]) % shape[1];
                output[i] += p.Typed(bias[o]);
                scale[i] += Math.Abs(p.Typed(bias[o]));
            }
        }
        return new Expected(shape, output, scale);
    }

    /// <summary>gradInput, gradKernel and (with a bias) gradBias for the problem's gradOutput.</summary>
    public static (Expected Input, Expected Kernel, Expected? Bias) Backward(ConvProblem p)
    {
        var gradOutput = p.GradOutput().Select(p.Typed).ToArray();
        var (gradInput, inputScale) = (new double[p.InputData.Length], new double[p.InputData.Length]);
        var (gradKernel, kernelScale) = (new double[p.KernelData.Length], new double[p.KernelData.Length]);
        Walk(p, (outIndex, inIndex, kIndex, _) =>
        {
            var g = gradOutput[outIndex];
            gradInput[inIndex] += g * p.Typed(p.KernelData[kIndex]);
            inputScale[inIndex] += Math.Abs(g * p.Typed(p.KernelData[kIndex]));
            gradKernel[kIndex] += g * p.Typed(p.InputData[inIndex]);
            kernelScale[kIndex] += Math.Abs(g * p.Typed(p.InputData[inIndex]));
        });
        Expected? gradBias = null;
        if (p.Bias is { } bias)
        {
            var shape = p.OutputShape;
            var (sums, scale) = (new double[bias.Length], new double[bias.Length]);
            for (var i = 0; i < gradOutput.Length; i++)
            {
                var o = i / (shape[2] * shape[3]) % shape[1];
                sums[o] += gradOutput[i];
                scale[o] += Math.Abs(gradOutput[i]);
            }
            gradBias = new Expected([bias.Length], sums, scale);
        }
        return (new Expected(p.Input, gradInput, inputScale), new Expected(p.Kernel, gradKernel, kernelScale), gradBias);
    }

    /// <summary>Calls <paramref name="tap"/>(output index, input index, kernel index, out channel) for every multiply that reads an input cell.</summary>
    private static void Walk(ConvProblem p, Action<int, int, int, int> tap)
    {
        var (n, c, h, w) = (p.Input[0], p.Input[1], p.Input[2], p.Input[3]);
        var (cout, cg, kh, kw) = (p.Kernel[0], p.Kernel[1], p.Kernel[2], p.Kernel[3]);
        var (ho, wo) = (p.OutputShape[2], p.OutputShape[3]);
        var (top, _) = p.Pad(0);
        var (left, _) = p.Pad(1);
        var outPerGroup = cout / p.Groups;
        for (var b = 0; b < n; b++)
        for (var o = 0; o < cout; o++)
        for (var i = 0; i < ho; i++)
        for (var j = 0; j < wo; j++)
        for (var ci = 0; ci < cg; ci++)
        for (var u = 0; u < kh; u++)
        for (var v = 0; v < kw; v++)
        {
            var (y, x) = (Source(i * p.Stride[0] - top + u * p.Dilation[0], h, p.PaddingMode), Source(j * p.Stride[1] - left + v * p.Dilation[1], w, p.PaddingMode));
            if (y < 0 || x < 0)
                continue;
            var channel = o / outPerGroup * cg + ci;
            tap(((b * cout + o) * ho + i) * wo + j, ((b * c + channel) * h + y) * w + x, ((o * cg + ci) * kh + u) * kw + v, o);
        }
    }

    private static int Count(int[] shape) => shape.Aggregate(1, (a, b) => a * b);

    /// <summary>The input index a padded position reads, or −1 for a zero.</summary>
    private static int Source(int position, int size, string mode) => position >= 0 && position < size ? position : mode switch
    {
        "reflect" => position < 0 ? -position : 2 * (size - 1) - position,
        "replicate" => Math.Clamp(position, 0, size - 1),
        "circular" => ((position % size) + size) % size,
        _ => -1,
    };
}
