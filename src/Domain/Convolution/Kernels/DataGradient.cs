using System.Buffers;
using System.Numerics;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// The input gradient as a forward pass: gradPadded[n, c, y, x] = Σ_o Σ_p Σ_q spread[n, o, y + p·dH, x + q·dW] ·
/// kernel[o, c, kH−1−p, kW−1−q], where <c>spread</c> holds gradOutput[n, o, i, j] at ((kH−1)·dH + i·sH, (kW−1)·dW + j·sW)
/// and zeros elsewhere, of size (Hp + (kH−1)·dH) × (Wp + (kW−1)·dW). Strides above 1 pay for the zeros they spread.
/// </summary>
internal static class DataGradient
{
    /// <summary>Input channels per group from which the transposed forward pass beats <see cref="ColumnsToImage"/>.</summary>
    public static int TransposedForwardChannels { get; set; } = 16;

    public static void Run<T, V>(ConvGeometry g, ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> kernel, Span<T> gradPadded, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        if (g.InChannelsPerGroup < TransposedForwardChannels)
        {
            ColumnsToImage.Run<T, V>(g, gradOutput, kernel, gradPadded, cancellationToken);
            return;
        }
        var (h, w) = (g.Axes[0], g.Axes[1]);
        var (hp, wp) = ((int)h.PaddedInput, (int)w.PaddedInput);
        var (hd, wd) = (hp + (h.Kernel - 1) * h.Dilation, wp + (w.Kernel - 1) * w.Dilation);
        var transposed = Transposed(g, hd, wd);
        var spreadLength = g.Batch * g.OutChannels * hd * wd;
        var spread = ArrayPool<T>.Shared.Rent(spreadLength);
        var flipped = ArrayPool<T>.Shared.Rent(kernel.Length);
        try
        {
            Spread(g, gradOutput, hd, wd, spread.AsSpan(0, spreadLength));
            Flip(g, kernel, flipped);
            ForwardPass.Run<T, V>(transposed, spread.AsSpan(0, spreadLength), flipped.AsSpan(0, kernel.Length), default, gradPadded, cancellationToken);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(flipped);
            ArrayPool<T>.Shared.Return(spread);
        }
    }

    private static ConvGeometry Transposed(ConvGeometry g, int hd, int wd)
    {
        var (h, w) = (g.Axes[0], g.Axes[1]);
        var (hp, wp) = ((int)h.PaddedInput, (int)w.PaddedInput);
        return new ConvGeometry
        {
            InputShape = new TensorShape(g.Batch, g.OutChannels, hd, wd),
            KernelShape = new TensorShape(g.InChannels, g.OutChannelsPerGroup, h.Kernel, w.Kernel),
            OutputShape = new TensorShape(g.Batch, g.InChannels, hp, wp),
            Batch = g.Batch,
            InChannels = g.OutChannels,
            OutChannels = g.InChannels,
            Groups = g.Groups,
            PaddingMode = PaddingMode.Zeros,
            Axes = [new WindowAxis(hd, h.Kernel, 1, h.Dilation, 0, 0, hp), new WindowAxis(wd, w.Kernel, 1, w.Dilation, 0, 0, wp)],
        };
    }

    private static void Spread<T>(ConvGeometry g, ReadOnlySpan<T> gradOutput, int hd, int wd, Span<T> spread)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (h, w) = (g.Axes[0], g.Axes[1]);
        var (top, left) = ((h.Kernel - 1) * h.Dilation, (w.Kernel - 1) * w.Dilation);
        spread.Clear();
        for (var plane = 0; plane < g.Batch * g.OutChannels; plane++)
            for (var i = 0; i < h.Output; i++)
            {
                var src = gradOutput.Slice((plane * h.Output + i) * w.Output, w.Output);
                var dst = spread.Slice((plane * hd + top + i * h.Stride) * wd + left);
                for (var j = 0; j < src.Length; j++)
                    dst[j * w.Stride] = src[j];
            }
    }

    /// <summary>flipped[g·C/groups + c, o, p, q] = kernel[g·Cout/groups + o, c, kH−1−p, kW−1−q].</summary>
    private static void Flip<T>(ConvGeometry g, ReadOnlySpan<T> kernel, Span<T> flipped)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var taps = g.Axes[0].Kernel * g.Axes[1].Kernel;
        var (cg, og) = (g.InChannelsPerGroup, g.OutChannelsPerGroup);
        for (var group = 0; group < g.Groups; group++)
            for (var o = 0; o < og; o++)
                for (var c = 0; c < cg; c++)
                {
                    var src = kernel.Slice(((group * og + o) * cg + c) * taps, taps);
                    var dst = flipped.Slice(((group * cg + c) * og + o) * taps, taps);
                    for (var t = 0; t < taps; t++)
                        dst[t] = src[taps - 1 - t];
                }
    }
}
