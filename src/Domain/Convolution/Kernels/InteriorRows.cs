using System.Numerics;
using ConvService.Domain.Tensors;
using ConvService.Domain.Geometry;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// A zero-padded 1-D convolution at stride 1, read where its input lies instead of from a padded copy (S7: the 8 MB copy
/// took 5–11% of the forward pass). Output o reads input <c>o − padBegin + t·dilation</c> for each tap t; the outputs whose
/// taps all land inside the row (the interior: all but about padBegin at the start and padEnd at the end) run as the usual
/// GEMM over a grid of the interior alone (<see cref="Grid"/>), whose virtual pixels read the unpadded rows in place and
/// never reach past a row's last cell. Each edge output is then its own chain over the same taps in the same order,
/// with zeros where the padding lies (<see cref="Edges{T, V}"/>), as the padded GEMM's tile computes it, so every answer
/// is the padded pass's bit for bit.
/// </summary>
internal static class InteriorRows
{
    /// <summary>Whether the forward pass takes this path where it fits: always, but in the benchmarks' alternating comparison.</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>Whether the forward pass reads <paramref name="g"/>'s input this way: 1-D, zero padding, stride 1, an interior.</summary>
    public static bool Takes(ConvGeometry g)
    {
        if (!Enabled || g.SpatialDims != 1 || g.PaddingMode != PaddingMode.Zeros)
            return false;
        var axis = g.Axes[0];
        return axis.Stride == 1 && (axis.PadBegin > 0 || axis.PadEnd > 0) && Interior(axis).Count > 0;
    }

    /// <summary>The outputs whose taps all land inside the row: from <c>First</c>, <c>Count</c> of them.</summary>
    public static (int First, int Count) Interior(WindowAxis axis)
    {
        var first = Math.Min(axis.PadBegin, axis.Output);
        var end = Math.Min((long)axis.Input + axis.PadBegin - (long)axis.Dilation * (axis.Kernel - 1), axis.Output);
        return (first, (int)Math.Max(0, end - first));
    }

    /// <summary>The interior's virtual pixels over the unpadded rows: pixel v is output First + v, its taps v + t·dilation.</summary>
    public static PixelGrid Grid(ConvGeometry g)
    {
        var axis = g.Axes[0];
        return new PixelGrid([], [], Interior(axis).Count, 1, axis.Input, axis.Input);
    }

    /// <summary>
    /// Writes the outputs outside the interior: <c>output[n, m, o] = Σ_k w[m, k]·x[n, c_k, o − padBegin + t_k·dilation]</c>
    /// over the depth k = c·kernel + t in order, as fused multiply-adds from zero with zeros beyond the row (as the padded
    /// GEMM's tile does), then the bias added. A vector's lanes are output channels, each its own chain, so that the chains
    /// run side by side rather than one after another (a single chain of S7's 320 dependent multiply-adds per output took
    /// longer than the padded copy it replaces).
    /// </summary>
    public static unsafe void Edges<T, V>(ConvGeometry g, ReadOnlySpan<T> input, ReadOnlySpan<T> kernel, ReadOnlySpan<T> bias, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var axis = g.Axes[0];
        var (first, count) = Interior(axis);
        var (channels, rows, taps) = (g.InChannelsPerGroup, g.OutChannelsPerGroup, axis.Kernel);
        var depth = channels * taps;
        var lanes = (rows + V.Count - 1) / V.Count * V.Count;
        // A group's kernel transposed, its rows padded with zeros to whole vectors: wT[k·lanes + r] = w[r, k]; then the sums.
        var scratch = TensorPool<T>.Shared.Rent(depth * lanes + lanes);
        try
        {
            fixed (T* x = input, w = kernel, wt = scratch)
            {
                var sums = wt + depth * lanes;
                for (var group = 0; group < g.Groups; group++)
                {
                    for (var k = 0; k < depth; k++)
                    {
                        for (var r = 0; r < lanes; r++)
                            wt[k * lanes + r] = r < rows ? w[(long)(group * rows + r) * depth + k] : T.Zero;
                    }
                    for (var n = 0; n < g.Batch; n++)
                    {
                        var row = x + (long)(n * g.InChannels + group * channels) * axis.Input;
                        // The edges: the first outputs before the interior, then those after it.
                        for (var e = 0; e < axis.Output - count; e++)
                        {
                            var o = e < first ? e : e + count;
                            for (var r = 0; r < lanes; r += V.Count)
                                V.Store(V.Zero, sums + r);
                            for (var k = 0; k < depth; k++)
                            {
                                var (c, t) = Math.DivRem(k, taps);
                                var at = axis.Position(o, t);
                                var value = V.Broadcast(at >= 0 && at < axis.Input ? row[(long)c * axis.Input + at] : T.Zero);
                                for (var r = 0; r < lanes; r += V.Count)
                                {
                                    var sum = V.Load(sums + r);
                                    V.MultiplyAddTo(ref sum, V.Load(wt + k * lanes + r), value);
                                    V.Store(sum, sums + r);
                                }
                            }
                            for (var r = 0; r < rows; r++)
                            {
                                var m = group * rows + r;
                                output[(n * g.OutChannels + m) * axis.Output + o] = sums[r] + (bias.IsEmpty ? T.Zero : bias[m]);
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            TensorPool<T>.Shared.Return(scratch);
        }
    }
}
