using System.Buffers;
using System.Numerics;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Convolution;

/// <summary>2-D convolution (cross-correlation) with PyTorch's <c>conv2d</c> semantics, over NCHW tensors.</summary>
public static partial class Conv2d
{
    /// <summary>
    /// <c>out[n,o,i,j] = bias[o] + Σ_c Σ_p Σ_q in[n, g·C/groups + c, i·s − pad + p·d, j·s − pad + q·d] · kernel[o,c,p,q]</c>,
    /// where <c>g</c> is the group of output channel <c>o</c> and the padding cells hold what the padding mode says.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes or options break a rule of <see cref="ConvRules"/>.</exception>
    public static Tensor<T> Forward<T>(Tensor<T> input, Tensor<T> kernel, Tensor<T>? bias, ConvOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var geometry = ConvGeometry.Create(input.Shape, kernel.Shape, bias?.Shape, options);
        var output = Tensor<T>.Uninitialized(geometry.OutputShape);
        Forward(geometry, input.Span, kernel.Span, bias is null ? default : bias.Span, output.Span);
        return output;
    }

    /// <summary>The forward pass into a destination the caller owns; <paramref name="bias"/> may be empty.</summary>
    /// <exception cref="ArgumentException">A span's length does not match <paramref name="geometry"/>.</exception>
    public static void Forward<T>(ConvGeometry geometry, ReadOnlySpan<T> input, ReadOnlySpan<T> kernel, ReadOnlySpan<T> bias, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(geometry, input.Length, kernel.Length, output.Length);
        if (!bias.IsEmpty)
            ArgumentOutOfRangeException.ThrowIfNotEqual(bias.Length, geometry.OutChannels, nameof(bias));

        var paddedLength = (int)geometry.PaddedShape.ElementCount!.Value;
        var padded = ArrayPool<T>.Shared.Rent(paddedLength);
        try
        {
            Padding2d.Pad(input, geometry.Batch * geometry.InChannels, geometry.Axes[0], geometry.Axes[1], geometry.PaddingMode, padded);
            ForwardPadded(geometry, padded.AsSpan(0, paddedLength), kernel, bias, output);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(padded);
        }
    }

    private static void ForwardPadded<T>(ConvGeometry g, ReadOnlySpan<T> padded, ReadOnlySpan<T> kernel, ReadOnlySpan<T> bias, Span<T> output)
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

    private static void CheckLengths(ConvGeometry geometry, int input, int kernel, int output)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual((long)input, geometry.InputShape.ElementCount ?? -1, nameof(input));
        ArgumentOutOfRangeException.ThrowIfNotEqual((long)kernel, geometry.KernelShape.ElementCount ?? -1, nameof(kernel));
        ArgumentOutOfRangeException.ThrowIfLessThan((long)output, geometry.OutputShape.ElementCount ?? long.MaxValue, nameof(output));
    }
}
