using System.Numerics;
using ConvService.Domain.Geometry;

namespace ConvService.Domain.Convolution;

internal static partial class ConvKernels
{
    /// <summary>
    /// gradPadded (N, C, Hp, Wp) = ∂(Σ gradOutput·output)/∂padded:
    /// <c>gradPadded[n, g·C/groups + c, i·sH + p·dH, j·sW + q·dW] += gradOutput[n,o,i,j] · kernel[o,c,p,q]</c>.
    /// Overwritten, not accumulated into; cells no window reaches are exactly 0.
    /// </summary>
    public static void BackwardData<T>(ConvGeometry g, ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> kernel, Span<T> gradPadded, CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (h, w) = (g.Axes[0], g.Axes[1]);
        var inPlane = (int)(h.PaddedInput * w.PaddedInput);
        var outPlane = h.Output * w.Output;
        var taps = h.Kernel * w.Kernel;
        gradPadded[..(g.Batch * g.InChannels * inPlane)].Clear();
        for (var n = 0; n < g.Batch; n++)
        {
            for (var o = 0; o < g.OutChannels; o++)
            {
                ct.ThrowIfCancellationRequested();
                var group = o / g.OutChannelsPerGroup;
                var grad = gradOutput.Slice((n * g.OutChannels + o) * outPlane, outPlane);
                for (var c = 0; c < g.InChannelsPerGroup; c++)
                {
                    var dst = gradPadded.Slice((n * g.InChannels + group * g.InChannelsPerGroup + c) * inPlane, inPlane);
                    var weights = kernel.Slice((o * g.InChannelsPerGroup + c) * taps, taps);
                    ScatterPlane(grad, weights, h, w, dst);
                }
            }
        }
    }

    /// <summary>
    /// gradKernel (Cout, C/groups, kH, kW) = ∂(Σ gradOutput·output)/∂kernel:
    /// <c>gradKernel[o,c,p,q] = Σ_n Σ_i Σ_j padded[n, g·C/groups + c, i·sH + p·dH, j·sW + q·dW] · gradOutput[n,o,i,j]</c>. Overwritten.
    /// </summary>
    public static void BackwardKernel<T>(ConvGeometry g, ReadOnlySpan<T> padded, ReadOnlySpan<T> gradOutput, Span<T> gradKernel, CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (h, w) = (g.Axes[0], g.Axes[1]);
        var inPlane = (int)(h.PaddedInput * w.PaddedInput);
        var outPlane = h.Output * w.Output;
        var taps = h.Kernel * w.Kernel;
        gradKernel[..(g.OutChannels * g.InChannelsPerGroup * taps)].Clear();
        for (var o = 0; o < g.OutChannels; o++)
        {
            var group = o / g.OutChannelsPerGroup;
            for (var c = 0; c < g.InChannelsPerGroup; c++)
            {
                ct.ThrowIfCancellationRequested();
                var dst = gradKernel.Slice((o * g.InChannelsPerGroup + c) * taps, taps);
                for (var n = 0; n < g.Batch; n++)
                {
                    var src = padded.Slice((n * g.InChannels + group * g.InChannelsPerGroup + c) * inPlane, inPlane);
                    CorrelatePlane(src, gradOutput.Slice((n * g.OutChannels + o) * outPlane, outPlane), h, w, dst);
                }
            }
        }
    }

    /// <summary>dst[i·sH + p·dH, j·sW + q·dW] += grad[i,j] · weights[p,q] over one padded plane.</summary>
    private static void ScatterPlane<T>(ReadOnlySpan<T> grad, ReadOnlySpan<T> weights, WindowAxis h, WindowAxis w, Span<T> dst)
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
                    var row = dst.Slice((i * h.Stride + p * h.Dilation) * pitch + q * w.Dilation);
                    var gradRow = grad.Slice(i * w.Output, w.Output);
                    for (var j = 0; j < gradRow.Length; j++)
                        row[j * w.Stride] += gradRow[j] * weight;
                }
            }
        }
    }

    /// <summary>dst[p,q] += Σ_i Σ_j src[i·sH + p·dH, j·sW + q·dW] · grad[i,j] over one padded plane.</summary>
    private static void CorrelatePlane<T>(ReadOnlySpan<T> src, ReadOnlySpan<T> grad, WindowAxis h, WindowAxis w, Span<T> dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var pitch = (int)w.PaddedInput;
        for (var p = 0; p < h.Kernel; p++)
        {
            for (var q = 0; q < w.Kernel; q++)
            {
                var sum = T.Zero;
                for (var i = 0; i < h.Output; i++)
                {
                    var row = src.Slice((i * h.Stride + p * h.Dilation) * pitch + q * w.Dilation);
                    var gradRow = grad.Slice(i * w.Output, w.Output);
                    for (var j = 0; j < gradRow.Length; j++)
                        sum += row[j * w.Stride] * gradRow[j];
                }
                dst[p * w.Kernel + q] += sum;
            }
        }
    }
}
