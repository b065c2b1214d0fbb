using System.Runtime.CompilerServices;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// The kernel gradient's micro-kernel: a 4 × 3 block of dot products along pixels, <c>gw[r, c] += Σ_i go[r, i] · b[offsets[c] + i]</c>,
/// twelve vector accumulators, seven loads per twelve fused multiply-adds. The rows of go must be readable (and finite)
/// up to length rounded up to whole vectors; b's last partial vector is read instead from <c>tails</c>, the three rows'
/// ends zero-padded to a vector each (see <see cref="PackTails"/>), so that b is never read past its end.
/// </summary>
internal static unsafe class DotTile
{
    public const int Rows = 4;

    public const int Columns = 3;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, V>(T* go, int goPitch, T* b, int* offsets, int length, T* gw, int gwPitch, T* tails)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        T* b0p = b + offsets[0], b1p = b + offsets[1], b2p = b + offsets[2];
        T* g1 = go + goPitch, g2 = go + 2 * goPitch, g3 = go + 3 * goPitch;
        var (i, end) = (0, length / V.Count * V.Count);

        // No calls from here on: a call among the twelve accumulators would make the JIT spill them all.
        V c00 = V.Zero, c01 = V.Zero, c02 = V.Zero, c10 = V.Zero, c11 = V.Zero, c12 = V.Zero;
        V c20 = V.Zero, c21 = V.Zero, c22 = V.Zero, c30 = V.Zero, c31 = V.Zero, c32 = V.Zero;
        while (true)
        {
            for (; i < end; i += V.Count)
            {
                var b0 = V.Load(b0p + i);
                var b1 = V.Load(b1p + i);
                var b2 = V.Load(b2p + i);
                var a0 = V.Load(go + i);
                c00 = V.MultiplyAdd(a0, b0, c00); c01 = V.MultiplyAdd(a0, b1, c01); c02 = V.MultiplyAdd(a0, b2, c02);
                var a1 = V.Load(g1 + i);
                c10 = V.MultiplyAdd(a1, b0, c10); c11 = V.MultiplyAdd(a1, b1, c11); c12 = V.MultiplyAdd(a1, b2, c12);
                var a2 = V.Load(g2 + i);
                c20 = V.MultiplyAdd(a2, b0, c20); c21 = V.MultiplyAdd(a2, b1, c21); c22 = V.MultiplyAdd(a2, b2, c22);
                var a3 = V.Load(g3 + i);
                c30 = V.MultiplyAdd(a3, b0, c30); c31 = V.MultiplyAdd(a3, b1, c31); c32 = V.MultiplyAdd(a3, b2, c32);
            }
            if (i >= length)
                break;
            b0p = tails - i;
            b1p = tails + V.Count - i;
            b2p = tails + 2 * V.Count - i;
            end = i + V.Count;
        }

        gw[0] += V.Sum(c00); gw[1] += V.Sum(c01); gw[2] += V.Sum(c02);
        gw[gwPitch] += V.Sum(c10); gw[gwPitch + 1] += V.Sum(c11); gw[gwPitch + 2] += V.Sum(c12);
        gw[2 * gwPitch] += V.Sum(c20); gw[2 * gwPitch + 1] += V.Sum(c21); gw[2 * gwPitch + 2] += V.Sum(c22);
        gw[3 * gwPitch] += V.Sum(c30); gw[3 * gwPitch + 1] += V.Sum(c31); gw[3 * gwPitch + 2] += V.Sum(c32);
    }

    /// <summary>
    /// <c>tails[k·width + x] = b[offsets[k] + start + x]</c> for x &lt; count, else 0, for k &lt; rows: the partial last
    /// vectors of a block of im2col rows, packed once for every tile that reads them.
    /// </summary>
    public static void PackTails<T>(T* b, int* offsets, int rows, int start, int count, int width, T* tails)
        where T : unmanaged
    {
        for (var k = 0; k < rows; k++)
        {
            var src = b + offsets[k] + start;
            for (var x = 0; x < width; x++)
                tails[k * width + x] = x < count ? src[x] : default;
        }
    }

    /// <summary><c>Σ_i a[i] · b[i]</c> for i &lt; <paramref name="length"/>: the edges the 4 × 3 block does not cover.</summary>
    public static T Dot<T, V>(T* a, T* b, int length)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        // Two chains: one would wait out the fused multiply-add's latency every step.
        V sum0 = V.Zero, sum1 = V.Zero;
        var i = 0;
        for (; i + 2 * V.Count <= length; i += 2 * V.Count)
        {
            sum0 = V.MultiplyAdd(V.Load(a + i), V.Load(b + i), sum0);
            sum1 = V.MultiplyAdd(V.Load(a + i + V.Count), V.Load(b + i + V.Count), sum1);
        }
        for (; i + V.Count <= length; i += V.Count)
            sum0 = V.MultiplyAdd(V.Load(a + i), V.Load(b + i), sum0);
        var total = V.Sum(V.Add(sum0, sum1));
        for (; i < length; i++)
            total += a[i] * b[i];
        return total;
    }
}
