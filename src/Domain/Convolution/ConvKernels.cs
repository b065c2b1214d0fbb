using System.Numerics;
using ConvService.Domain.Geometry;

namespace ConvService.Domain.Convolution;

/// <summary>
/// The convolution's inner loops, over an already padded input (N, C, Hp, Wp), so that padding modes never reach them.
/// </summary>
internal static partial class ConvKernels
{
    /// <summary>output (N, Cout, Ho, Wo) = bias + the valid cross-correlation of <paramref name="padded"/> with <paramref name="kernel"/>.</summary>
    public static void Forward<T>(ConvGeometry g, ReadOnlySpan<T> padded, ReadOnlySpan<T> kernel, ReadOnlySpan<T> bias, Span<T> output, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (h, w) = (g.Axes[0], g.Axes[1]);
        var inPlane = (int)(h.PaddedInput * w.PaddedInput);
        var outPlane = h.Output * w.Output;
        var taps = h.Kernel * w.Kernel;
        for (var n = 0; n < g.Batch; n++)
        {
            for (var o = 0; o < g.OutChannels; o++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var group = o / g.OutChannelsPerGroup;
                var dst = output.Slice((n * g.OutChannels + o) * outPlane, outPlane);
                dst.Fill(bias.IsEmpty ? T.Zero : bias[o]);
                for (var c = 0; c < g.InChannelsPerGroup; c++)
                {
                    var src = padded.Slice((n * g.InChannels + group * g.InChannelsPerGroup + c) * inPlane, inPlane);
                    var weights = kernel.Slice((o * g.InChannelsPerGroup + c) * taps, taps);
                    AccumulatePlane(src, weights, h, w, dst);
                }
            }
        }
    }

    /// <summary>dst[i,j] += Σ_p Σ_q src[i·sH + p·dH, j·sW + q·dW] · weights[p,q] over one padded plane.</summary>
    private static void AccumulatePlane<T>(ReadOnlySpan<T> src, ReadOnlySpan<T> weights, WindowAxis h, WindowAxis w, Span<T> dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var pitch = (int)w.PaddedInput;
        for (var p = 0; p < h.Kernel; p++)
        {
            for (var q = 0; q < w.Kernel; q++)
            {
                var weight = weights[p * w.Kernel + q];
                for (var i = 0; i < h.Output; i++)
                {
                    var row = src.Slice((i * h.Stride + p * h.Dilation) * pitch + q * w.Dilation);
                    var outRow = dst.Slice(i * w.Output, w.Output);
                    for (var j = 0; j < outRow.Length; j++)
                        outRow[j] += row[j * w.Stride] * weight;
                }
            }
        }
    }
}
