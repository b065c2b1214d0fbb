using System.Runtime.CompilerServices;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// The kernel gradient's micro-kernel: an R × 3 block (8 or 4 rows) of dot products along
/// pixels, <c>gw[r, c] += Σ_i go[r, i] · b[offsets[c] + i]</c>. Eight rows keep twenty-four vector accumulators and
/// spend eleven loads on twenty-four fused multiply-adds (the 4 × 3 block spends seven on twelve; see
/// <see cref="GemmTile"/> for why Zen 5 wants the larger one); four rows take the remainder, so every element is summed
/// the same way whichever block it falls in. The rows of go must be readable (and finite) up to length rounded up to
/// whole vectors; b's last partial vector is read instead from <c>tails</c>, the three rows' ends zero-padded to a
/// vector each (see <see cref="PackTails"/>), so that b is never read past its end. Steps where gradOutput, spread over
/// virtual pixels, is zero in every row (the rows a stride skips) are left out (see <see cref="LiveSpans"/>). A call
/// ends by summing each accumulator's lanes, in <see cref="ISimd{TSelf, T}.Sum"/>'s order but all 24 together
/// (<see cref="ISimd{TSelf, T}.FoldLanes"/>), read back from the registers: against 24 separate sums, the kernel pass ran
/// float32 S2 1.12–1.17×, S6 1.14×, S7 1.07–1.15×, S3 1.01–1.02×, float64 S2 1.05–1.07×, S6 1.05×, S7 0.98–1.09×
/// (scripts/ab-pass.sh kernel, medians, two rounds), with the same bits.
/// </summary>
internal static unsafe class DotTile
{
    public const int Rows = 8;

    public const int Columns = 3;

    /// <summary>
    /// Sums over the vector steps of <paramref name="spans"/> (pairs of element offsets [start, end), whole vectors), then,
    /// when <paramref name="tail"/> ≥ 0, the partial vector at that offset with b's ends read from <paramref name="tails"/>.
    /// Steps left out are ones where every go row is zero: leaving them out changes no sum.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, V, R>(T* go, int goPitch, T* b, int* offsets, int* spans, int spanCount, int tail, T* gw, int gwPitch, T* tails)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
        where R : struct, ITileRows
    {
        T* b0p = b + offsets[0], b1p = b + offsets[1], b2p = b + offsets[2];
        T* g1 = go + goPitch, g2 = go + 2 * goPitch, g3 = go + 3 * goPitch, g4 = go + 4 * goPitch, g5 = go + 5 * goPitch, g6 = go + 6 * goPitch, g7 = go + 7 * goPitch;

        // No calls from here on: a call among the accumulators would make the JIT spill them all. R.Count is a constant
        // of each instantiation, so the four-row copy compiles without the second half.
        V s00 = V.Zero, s01 = V.Zero, s02 = V.Zero, s10 = V.Zero, s11 = V.Zero, s12 = V.Zero, s20 = V.Zero, s21 = V.Zero, s22 = V.Zero;
        V s30 = V.Zero, s31 = V.Zero, s32 = V.Zero, s40 = V.Zero, s41 = V.Zero, s42 = V.Zero, s50 = V.Zero, s51 = V.Zero, s52 = V.Zero;
        V s60 = V.Zero, s61 = V.Zero, s62 = V.Zero, s70 = V.Zero, s71 = V.Zero, s72 = V.Zero;
        for (var span = 0; ; span++)
        {
            int i, end;
            if (span < spanCount)
            {
                (i, end) = (spans[2 * span], spans[2 * span + 1]);
            }
            else if (span == spanCount && tail >= 0)
            {
                (i, end) = (tail, tail + V.Count);
                b0p = tails - i;
                b1p = tails + V.Count - i;
                b2p = tails + 2 * V.Count - i;
            }
            else
            {
                break;
            }
            for (; i < end; i += V.Count)
            {
                var b0 = V.Load(b0p + i);
                var b1 = V.Load(b1p + i);
                var b2 = V.Load(b2p + i);
                var a = V.Load(go + i);
                V.MultiplyAddTo(ref s00, a, b0); V.MultiplyAddTo(ref s01, a, b1); V.MultiplyAddTo(ref s02, a, b2);
                a = V.Load(g1 + i);
                V.MultiplyAddTo(ref s10, a, b0); V.MultiplyAddTo(ref s11, a, b1); V.MultiplyAddTo(ref s12, a, b2);
                a = V.Load(g2 + i);
                V.MultiplyAddTo(ref s20, a, b0); V.MultiplyAddTo(ref s21, a, b1); V.MultiplyAddTo(ref s22, a, b2);
                a = V.Load(g3 + i);
                V.MultiplyAddTo(ref s30, a, b0); V.MultiplyAddTo(ref s31, a, b1); V.MultiplyAddTo(ref s32, a, b2);
                if (R.Count == 8)
                {
                    a = V.Load(g4 + i);
                    V.MultiplyAddTo(ref s40, a, b0); V.MultiplyAddTo(ref s41, a, b1); V.MultiplyAddTo(ref s42, a, b2);
                    a = V.Load(g5 + i);
                    V.MultiplyAddTo(ref s50, a, b0); V.MultiplyAddTo(ref s51, a, b1); V.MultiplyAddTo(ref s52, a, b2);
                    a = V.Load(g6 + i);
                    V.MultiplyAddTo(ref s60, a, b0); V.MultiplyAddTo(ref s61, a, b1); V.MultiplyAddTo(ref s62, a, b2);
                    a = V.Load(g7 + i);
                    V.MultiplyAddTo(ref s70, a, b0); V.MultiplyAddTo(ref s71, a, b1); V.MultiplyAddTo(ref s72, a, b2);
                }
            }
        }

        // The 24 (or 12) accumulators' lane sums, folded together a level at a time (ISimd.FoldLanes): each level halves
        // the vectors, until each holds Count sums, accumulator j's (s00, s01, s02, s10, …) in lane j % Count of final
        // vector j / Count. They are then read from the registers: stored and read back as scalars, each read waited for
        // its vector's store (the kernel pass ran 0.87–0.96× where the registers ran 1.05–1.15×).
        V f0 = V.Zero, f1 = V.Zero, f2 = V.Zero, f3 = V.Zero, f4 = V.Zero, f5 = V.Zero;
        V p0 = V.FoldLanes(s00, s01, 0), p1 = V.FoldLanes(s02, s10, 0), p2 = V.FoldLanes(s11, s12, 0);
        V p3 = V.FoldLanes(s20, s21, 0), p4 = V.FoldLanes(s22, s30, 0), p5 = V.FoldLanes(s31, s32, 0);
        V q0 = V.FoldLanes(p0, p1, 1), q1 = V.FoldLanes(p2, p3, 1), q2 = V.FoldLanes(p4, p5, 1);
        if (R.Count == 8)
        {
            V p6 = V.FoldLanes(s40, s41, 0), p7 = V.FoldLanes(s42, s50, 0), p8 = V.FoldLanes(s51, s52, 0);
            V p9 = V.FoldLanes(s60, s61, 0), p10 = V.FoldLanes(s62, s70, 0), p11 = V.FoldLanes(s71, s72, 0);
            V q3 = V.FoldLanes(p6, p7, 1), q4 = V.FoldLanes(p8, p9, 1), q5 = V.FoldLanes(p10, p11, 1);
            if (V.Count == 4)
            {
                (f0, f1, f2, f3, f4, f5) = (q0, q1, q2, q3, q4, q5);
            }
            else
            {
                V h0 = V.FoldLanes(q0, q1, 2), h1 = V.FoldLanes(q2, q3, 2), h2 = V.FoldLanes(q4, q5, 2);
                (f0, f1, f2) = V.Count == 8 ? (h0, h1, h2) : (V.FoldLanes(h0, h1, 3), V.FoldLanes(h2, V.Zero, 3), V.Zero);
            }
        }
        else if (V.Count == 4)
        {
            (f0, f1, f2) = (q0, q1, q2);
        }
        else
        {
            V h0 = V.FoldLanes(q0, q1, 2), h1 = V.FoldLanes(q2, V.Zero, 2);
            (f0, f1) = V.Count == 8 ? (h0, h1) : (V.FoldLanes(h0, h1, 3), V.Zero);
        }

        AddRow<T, V>(gw, 0, f0, f1, f2, f3, f4, f5);
        AddRow<T, V>(gw + gwPitch, 1, f0, f1, f2, f3, f4, f5);
        AddRow<T, V>(gw + 2 * gwPitch, 2, f0, f1, f2, f3, f4, f5);
        AddRow<T, V>(gw + 3 * gwPitch, 3, f0, f1, f2, f3, f4, f5);
        if (R.Count == 8)
        {
            AddRow<T, V>(gw + 4 * gwPitch, 4, f0, f1, f2, f3, f4, f5);
            AddRow<T, V>(gw + 5 * gwPitch, 5, f0, f1, f2, f3, f4, f5);
            AddRow<T, V>(gw + 6 * gwPitch, 6, f0, f1, f2, f3, f4, f5);
            AddRow<T, V>(gw + 7 * gwPitch, 7, f0, f1, f2, f3, f4, f5);
        }
    }

    /// <summary><c>gw[c] += Σ lanes of accumulator (row, c)</c> for the three columns, from the folded vectors (row a constant).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow<T, V>(T* gw, int row, V f0, V f1, V f2, V f3, V f4, V f5)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        gw[0] += SumOf<T, V>(Columns * row, f0, f1, f2, f3, f4, f5);
        gw[1] += SumOf<T, V>(Columns * row + 1, f0, f1, f2, f3, f4, f5);
        gw[2] += SumOf<T, V>(Columns * row + 2, f0, f1, f2, f3, f4, f5);
    }

    /// <summary>Accumulator j's sum: lane j % Count of folded vector j / Count (both constants once inlined).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T SumOf<T, V>(int j, V f0, V f1, V f2, V f3, V f4, V f5)
        where T : unmanaged
        where V : struct, ISimd<V, T> =>
        (j / V.Count) switch
        {
            0 => V.Lane(f0, j % V.Count),
            1 => V.Lane(f1, j % V.Count),
            2 => V.Lane(f2, j % V.Count),
            3 => V.Lane(f3, j % V.Count),
            4 => V.Lane(f4, j % V.Count),
            _ => V.Lane(f5, j % V.Count),
        };

    /// <summary>
    /// The vector steps of the chunk [first, first + length) of virtual pixels that hold at least one output, as pairs of
    /// element offsets from <paramref name="first"/> into <paramref name="spans"/> (whole vectors only), and the offset of
    /// the partial last vector when it holds one (else −1). Returns the number of pairs; at most one per row of outputs.
    /// </summary>
    public static int LiveSpans<T, V>(PixelGrid grid, int first, int length, int* spans, out int tail)
        where T : unmanaged
        where V : struct, ISimd<V, T>
    {
        var whole = length / V.Count * V.Count;
        var (count, tailLive) = (0, false);
        for (var row = grid.RowAt(first); row < grid.Rows && grid.RowStart(row) < first + length; row++)
        {
            var start = grid.RowStart(row) - first;
            var end = start + (grid.Columns - 1) * grid.ColumnStep + 1;
            if (end <= 0)
                continue;
            tailLive |= end > whole && whole < length;
            (start, end) = (Math.Max(0, start) / V.Count * V.Count, Math.Min(whole, (end + V.Count - 1) / V.Count * V.Count));
            if (start >= end)
                continue;
            if (count > 0 && start <= spans[2 * count - 1])
                spans[2 * count - 1] = Math.Max(spans[2 * count - 1], end);
            else
                (spans[2 * count], spans[2 * count + 1], count) = (start, end, count + 1);
        }
        tail = tailLive ? whole : -1;
        return count;
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

    /// <summary><c>Σ_i a[i] · b[i]</c> for i &lt; <paramref name="length"/>: the edges the 8 × 3 block does not cover.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T Dot<T, V>(T* a, T* b, int length)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        // Two chains: one would wait out the fused multiply-add's latency every step.
        V sum0 = V.Zero, sum1 = V.Zero;
        var i = 0;
        for (; i + 2 * V.Count <= length; i += 2 * V.Count)
        {
            V.MultiplyAddTo(ref sum0, V.Load(a + i), V.Load(b + i));
            V.MultiplyAddTo(ref sum1, V.Load(a + i + V.Count), V.Load(b + i + V.Count));
        }
        for (; i + V.Count <= length; i += V.Count)
            V.MultiplyAddTo(ref sum0, V.Load(a + i), V.Load(b + i));
        var total = V.Sum(V.Add(sum0, sum1));
        for (; i < length; i++)
            total += a[i] * b[i];
        return total;
    }
}
