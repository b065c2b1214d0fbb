using System.Numerics;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// The forward pass of a problem too small to repay the GEMM's set-up: the seed's 5×5 ⊛ 3×3 is 81 multiply-adds, about
/// 0.1 µs of arithmetic against some 2 µs of tasks, rented blocks and panels in <see cref="VirtualGemm{T, V}"/>. Each
/// output is one scalar chain of fused multiply-adds over k in the GEMM's order (<see cref="PixelGrid.TapOffsets(ConvGeometry, Span{int})"/>),
/// from zero, and then the bias added: the operations the GEMM performs in that output's lane, so the answers are the
/// same bit for bit.
/// </summary>
internal static class SmallConv
{
    /// <summary>Multiply-adds up to which the scalar chains beat the GEMM's set-up.</summary>
    public const long MaxMultiplyAdds = 2048;

    public static bool Fits(ConvGeometry g) => g.MultiplyAdds <= MaxMultiplyAdds;

    /// <summary>The contract of <see cref="FastConv.Forward{T}"/>.</summary>
    public static void Forward<T>(ConvGeometry g, ReadOnlySpan<T> padded, ReadOnlySpan<T> kernel, ReadOnlySpan<T> bias, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var grid = PixelGrid.Of(g);
        var (rows, depth, outputs) = (g.OutChannelsPerGroup, g.InChannelsPerGroup * g.Windows.KernelCells, grid.Outputs);
        // depth ≤ MaxMultiplyAdds.
        Span<int> offsets = stackalloc int[depth];
        PixelGrid.TapOffsets(g, grid.PlaneLength, offsets);
        for (var image = 0; image < g.Batch; image++)
        {
            for (var group = 0; group < g.Groups; group++)
            {
                var x = padded[((image * g.InChannels + group * g.InChannelsPerGroup) * grid.PlaneLength)..];
                for (var r = 0; r < rows; r++)
                {
                    var channel = group * rows + r;
                    var w = kernel.Slice(channel * depth, depth);
                    var b = bias.IsEmpty ? T.Zero : bias[channel];
                    var y = output.Slice((image * g.OutChannels + channel) * outputs, outputs);
                    for (var j = 0; j < outputs; j++)
                    {
                        var pixel = x[grid.VirtualPixel(j)..];
                        var sum = T.Zero;
                        for (var k = 0; k < depth; k++)
                            sum = T.FusedMultiplyAdd(w[k], pixel[offsets[k]], sum);
                        y[j] = sum + b;
                    }
                }
            }
        }
    }
}
