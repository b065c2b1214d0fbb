namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// The few vector operations the convolution micro-kernels need, over one hardware vector width. The kernels are generic
/// over an implementing struct, so the JIT compiles one specialised copy per width and element type from one source.
/// </summary>
internal unsafe interface ISimd<TSelf, T>
    where TSelf : struct, ISimd<TSelf, T>
    where T : unmanaged
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    /// <summary>Vector registers the instruction set has: how many accumulators a micro-kernel can keep (see <see cref="GemmTile.RowsPerTile{T, V}"/>).</summary>
    static abstract int Registers { get; }

    static abstract TSelf Zero { get; }

    static abstract TSelf Load(T* source);

    static abstract void Store(TSelf value, T* destination);

    static abstract TSelf Broadcast(T value);

    /// <summary><c>a·b + c</c>, fused where the hardware can.</summary>
    static abstract TSelf MultiplyAdd(TSelf a, TSelf b, TSelf c);

    /// <summary>
    /// <c>sum = a·b + sum</c> in place, the accumulator form the micro-kernels use. The implementations write the vector
    /// inside <paramref name="sum"/> through a reference, so that the JIT sees one local both read and written and keeps it
    /// in its register (<c>vfmadd231</c>); <see cref="MultiplyAdd"/> returns a new wrapper, after which it targeted
    /// whichever multiplicand died there and copied the result back.
    /// </summary>
    static abstract void MultiplyAddTo(ref TSelf sum, TSelf a, TSelf b);

    static abstract TSelf Add(TSelf a, TSelf b);

    static abstract TSelf Subtract(TSelf a, TSelf b);

    static abstract TSelf Multiply(TSelf a, TSelf b);

    /// <summary>Lane x = <c>source[x·<paramref name="stride"/>]</c>: the hardware's gather where it has one.</summary>
    static abstract TSelf GatherStrided(T* source, int stride);

    /// <summary>The even lanes of <paramref name="low"/> then those of <paramref name="high"/>: every second element of 2·Count consecutive ones.</summary>
    static abstract TSelf Evens(TSelf low, TSelf high);

    /// <summary>The odd lanes of <paramref name="low"/> then those of <paramref name="high"/>: <see cref="Evens"/> one element on.</summary>
    static abstract TSelf Odds(TSelf low, TSelf high);

    /// <summary><c>destination[2x] = evens[x]</c> and <c>destination[2x + 1] = odds[x]</c> for every lane x: the inverse of <see cref="Evens"/>.</summary>
    static abstract void StoreInterleaved(TSelf evens, TSelf odds, T* destination);

    /// <summary>The sum of the lanes: adjacent lanes, then adjacent pairs of those, and so on up to the two halves.</summary>
    static abstract T Sum(TSelf value);

    /// <summary>
    /// One level of <see cref="Sum"/> over many vectors at once. Level 0 adds adjacent lanes, each further level adjacent
    /// parts of the level before, up to the halves (level log2(Count) − 1). Within each 128-bit block (at the levels
    /// inside one) or else the whole vector, the first half holds <paramref name="x"/>'s parts summed and the second
    /// half <paramref name="y"/>'s (see <see cref="LaneFolds"/>). Vectors v₀, v₁, … folded in pairs, in order, through
    /// every level leave Σ v_i in lane i bit for bit as <see cref="Sum"/> returns it, for the same pairs are added: two
    /// shuffles and an add per pair of vectors at each level, against about eight instructions per vector.
    /// </summary>
    static abstract TSelf FoldLanes(TSelf x, TSelf y, int level);

    /// <summary>Lane <paramref name="index"/>, read from the register (a constant index once inlined).</summary>
    static abstract T Lane(TSelf value, int index);

    /// <summary>
    /// Whether <see cref="StoreMasked"/> costs about what a plain store does (AVX-512's mask registers), so that a tile may
    /// write its vectors straight into output rows; AVX's <c>vmaskmovps</c> is slow on AMD before Zen 4.
    /// </summary>
    static abstract bool CheapMaskedStores { get; }

    /// <summary>A mask for <see cref="StoreMasked"/>: lanes <paramref name="from"/> ≤ x &lt; <paramref name="to"/> set, the others clear.</summary>
    static abstract TSelf Lanes(int from, int to);

    /// <summary>
    /// <c>destination[x] = value[x]</c> for each lane x that <paramref name="mask"/> sets; no other address is read or
    /// written (the hardware's masked store does not touch, nor fault on, a cleared lane's address).
    /// </summary>
    static abstract void StoreMasked(TSelf value, T* destination, TSelf mask);
}
