using System.Runtime.CompilerServices;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// The GEMMs' register-blocked micro-kernel: a tile of <c>C += A·B</c>, at full size <see cref="Rows"/> rows (output
/// channels) × <see cref="Vectors"/> vectors (pixels). Twenty-four accumulators, three loads of B and eight broadcasts
/// of A per k: Zen 5's two 512-bit FMA pipes need eight or more chains in flight to hide the FMA latency, and the 4 × 3
/// tile this replaced (12 accumulators, 7 loads per 12 FMAs) reached 79% of one core's FMA peak in isolation where this
/// one reaches 92–96%. 24 + 3 + 1 registers fit AVX-512's 32. Smaller tiles (4 rows; 2 or 1 vectors) serve the last
/// panels, compiled from this same source; every element of C is the same chain of FMAs over k whatever tile computes it.
/// </summary>
internal static unsafe class GemmTile
{
    /// <summary>Rows of A (output channels) per full tile, and per packed panel of A.</summary>
    public const int Rows = 8;

    /// <summary>Vectors of B (pixels) per full tile.</summary>
    public const int Vectors = 3;

    /// <summary>
    /// Rows one tile computes: all <see cref="Rows"/> of a panel where 24 accumulators, 3 loads of B and a broadcast
    /// fit the registers (AVX-512's 32), else four (AVX2's 16 take 12 + 3 + 1 exactly), a panel then running as two
    /// tiles over the same B panel. Eight rows on AVX2 spilled: Zen 3's float32 S2 forward ran at 38% of peak.
    /// </summary>
    public static int RowsPerTile<T, V>()
        where T : unmanaged
        where V : struct, ISimd<V, T> =>
        V.Registers >= Rows * Vectors + Vectors + 1 ? Rows : FourRows.Count;

    /// <summary>
    /// <c>c[r, w·V.Count + x] (+)= Σ_k a[k·Rows + r] · b_w[offsets[k] + x]</c> for r &lt; R.Count, w &lt; W.Count,
    /// x &lt; V.Count: vector w of pixels is read from its own base <paramref name="b0"/>, <paramref name="b1"/> or
    /// <paramref name="b2"/> (consecutive vectors of a packed panel, or rows of outputs read where they lie).
    /// <paramref name="c"/> has row pitch <paramref name="pitch"/>; <paramref name="accumulate"/> false overwrites it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, V, R, W>(T* a, T* b0, T* b1, T* b2, int* offsets, int depth, T* c, int pitch, bool accumulate)
        where T : unmanaged
        where V : struct, ISimd<V, T>
        where R : struct, ITileRows
        where W : struct, ITileVectors
    {
        var block = new BlockStore<T, V>(c, pitch);
        Run<T, V, R, W, BlockStore<T, V>>(a, b0, b1, b2, offsets, depth, c, pitch, accumulate, ref block);
    }

    /// <summary>
    /// As above, but the finished rows go to <paramref name="store"/> (C's block, or the output itself); C is read from
    /// <paramref name="c"/> only when <paramref name="accumulate"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, V, R, W, S>(T* a, T* b0, T* b1, T* b2, int* offsets, int depth, T* c, int pitch, bool accumulate, ref S store)
        where T : unmanaged
        where V : struct, ISimd<V, T>
        where R : struct, ITileRows
        where W : struct, ITileVectors
        where S : struct, ITileStore<T, V> =>
        Run<T, V, R, W, S, PackedRows>(a, Rows, b0, b1, b2, offsets, depth, c, pitch, accumulate, ref store);

    /// <summary>
    /// As above, with A's layout a type: <see cref="PackedRows"/> (<c>a[k·<paramref name="lead"/> + r]</c>: the packed
    /// panels at lead Rows, or the kernel's transpose read where it lies), or <see cref="StridedRows"/>
    /// (<c>a[r·<paramref name="lead"/> + k]</c>, the kernel read where it lies).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, V, R, W, S, L>(T* a, nint lead, T* b0, T* b1, T* b2, int* offsets, int depth, T* c, int pitch, bool accumulate, ref S store)
        where T : unmanaged
        where V : struct, ISimd<V, T>
        where R : struct, ITileRows
        where W : struct, ITileVectors
        where S : struct, ITileStore<T, V>
        where L : struct, IRowLayout
    {
        // R.Count and W.Count are constants of each instantiation: the JIT drops the accumulators a smaller tile lacks.
        var n = V.Count;
        T* c1 = c + pitch, c2 = c + 2 * pitch, c3 = c + 3 * pitch, c4 = c + 4 * pitch, c5 = c + 5 * pitch, c6 = c + 6 * pitch, c7 = c + 7 * pitch;
        V s00 = V.Zero, s01 = V.Zero, s02 = V.Zero, s10 = V.Zero, s11 = V.Zero, s12 = V.Zero, s20 = V.Zero, s21 = V.Zero, s22 = V.Zero;
        V s30 = V.Zero, s31 = V.Zero, s32 = V.Zero, s40 = V.Zero, s41 = V.Zero, s42 = V.Zero, s50 = V.Zero, s51 = V.Zero, s52 = V.Zero;
        V s60 = V.Zero, s61 = V.Zero, s62 = V.Zero, s70 = V.Zero, s71 = V.Zero, s72 = V.Zero;
        if (accumulate)
        {
            Load<T, V, W>(c, n, ref s00, ref s01, ref s02);
            Load<T, V, W>(c1, n, ref s10, ref s11, ref s12);
            Load<T, V, W>(c2, n, ref s20, ref s21, ref s22);
            Load<T, V, W>(c3, n, ref s30, ref s31, ref s32);
            if (R.Count == 8)
            {
                Load<T, V, W>(c4, n, ref s40, ref s41, ref s42);
                Load<T, V, W>(c5, n, ref s50, ref s51, ref s52);
                Load<T, V, W>(c6, n, ref s60, ref s61, ref s62);
                Load<T, V, W>(c7, n, ref s70, ref s71, ref s72);
            }
        }

        // In place, rows 0–3 lie at a + {0, s1, s2, s3} and rows 4–7 at a4 + the same: five registers where packed needs one.
        nint s1 = L.Packed ? 1 : lead, s2 = L.Packed ? 2 : 2 * lead, s3 = L.Packed ? 3 : 3 * lead;
        var a4 = a + (L.Packed ? 4 : 4 * lead);

        // No calls from here on: a call among the 24 accumulators would make the JIT spill them all. Each accumulator is
        // updated in place (MultiplyAddTo): given s = MultiplyAdd(a, b, s), the JIT wrote the sum into whichever
        // multiplicand died there and copied it back, six moves per 12 FMAs on AVX2's 4 × 3 tile.
        for (var end = offsets + depth; offsets < end; offsets++)
        {
            nint o = *offsets;
            var v0 = V.Load(b0 + o);
            var v1 = W.Count > 1 ? V.Load(b1 + o) : default;
            var v2 = W.Count > 2 ? V.Load(b2 + o) : default;
            var ar = V.Broadcast(a[0]);
            V.MultiplyAddTo(ref s00, ar, v0);
            if (W.Count > 1) V.MultiplyAddTo(ref s01, ar, v1);
            if (W.Count > 2) V.MultiplyAddTo(ref s02, ar, v2);
            ar = V.Broadcast(a[s1]);
            V.MultiplyAddTo(ref s10, ar, v0);
            if (W.Count > 1) V.MultiplyAddTo(ref s11, ar, v1);
            if (W.Count > 2) V.MultiplyAddTo(ref s12, ar, v2);
            ar = V.Broadcast(a[s2]);
            V.MultiplyAddTo(ref s20, ar, v0);
            if (W.Count > 1) V.MultiplyAddTo(ref s21, ar, v1);
            if (W.Count > 2) V.MultiplyAddTo(ref s22, ar, v2);
            ar = V.Broadcast(a[s3]);
            V.MultiplyAddTo(ref s30, ar, v0);
            if (W.Count > 1) V.MultiplyAddTo(ref s31, ar, v1);
            if (W.Count > 2) V.MultiplyAddTo(ref s32, ar, v2);
            if (R.Count == 8)
            {
                ar = V.Broadcast(L.Packed ? a[4] : a4[0]);
                V.MultiplyAddTo(ref s40, ar, v0);
                if (W.Count > 1) V.MultiplyAddTo(ref s41, ar, v1);
                if (W.Count > 2) V.MultiplyAddTo(ref s42, ar, v2);
                ar = V.Broadcast(L.Packed ? a[5] : a4[s1]);
                V.MultiplyAddTo(ref s50, ar, v0);
                if (W.Count > 1) V.MultiplyAddTo(ref s51, ar, v1);
                if (W.Count > 2) V.MultiplyAddTo(ref s52, ar, v2);
                ar = V.Broadcast(L.Packed ? a[6] : a4[s2]);
                V.MultiplyAddTo(ref s60, ar, v0);
                if (W.Count > 1) V.MultiplyAddTo(ref s61, ar, v1);
                if (W.Count > 2) V.MultiplyAddTo(ref s62, ar, v2);
                ar = V.Broadcast(L.Packed ? a[7] : a4[s3]);
                V.MultiplyAddTo(ref s70, ar, v0);
                if (W.Count > 1) V.MultiplyAddTo(ref s71, ar, v1);
                if (W.Count > 2) V.MultiplyAddTo(ref s72, ar, v2);
            }
            a += L.Packed ? lead : 1;
            if (!L.Packed)
                a4++;
        }

        // A copy of the store whose address nothing takes: its fields stay in registers. Through the ref, the JIT reloaded
        // the lanes' pointers before every masked store, since a store through T* might have changed them.
        var into = store;
        into.Row<W>(0, s00, s01, s02);
        into.Row<W>(1, s10, s11, s12);
        into.Row<W>(2, s20, s21, s22);
        into.Row<W>(3, s30, s31, s32);
        if (R.Count == 8)
        {
            into.Row<W>(4, s40, s41, s42);
            into.Row<W>(5, s50, s51, s52);
            into.Row<W>(6, s60, s61, s62);
            into.Row<W>(7, s70, s71, s72);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Load<T, V, W>(T* c, int n, ref V s0, ref V s1, ref V s2)
        where T : unmanaged
        where V : struct, ISimd<V, T>
        where W : struct, ITileVectors
    {
        s0 = V.Load(c);
        if (W.Count > 1) s1 = V.Load(c + n);
        if (W.Count > 2) s2 = V.Load(c + 2 * n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Store<T, V, W>(T* c, int n, V s0, V s1, V s2)
        where T : unmanaged
        where V : struct, ISimd<V, T>
        where W : struct, ITileVectors
    {
        V.Store(s0, c);
        if (W.Count > 1) V.Store(s1, c + n);
        if (W.Count > 2) V.Store(s2, c + 2 * n);
    }
}

/// <summary>How a tile finds A's elements, as a type so that the packed layout keeps constant offsets.</summary>
internal interface IRowLayout
{
    static abstract bool Packed { get; }
}

/// <summary>Rows side by side for each k: element (k, r) at <c>a[k·lead + r]</c> (<see cref="WeightPanels"/>' panels at lead Rows).</summary>
internal readonly struct PackedRows : IRowLayout
{
    public static bool Packed => true;
}

/// <summary>A row-major matrix read in place: element (k, r) at <c>a[r·lead + k]</c>.</summary>
internal readonly struct StridedRows : IRowLayout
{
    public static bool Packed => false;
}
