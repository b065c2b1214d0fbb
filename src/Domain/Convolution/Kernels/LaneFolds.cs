namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// What <see cref="ISimd{TSelf, T}.FoldLanes"/> computes, lane by lane: the portable form its implementations fall back
/// to without AVX. The parts a level pairs are single lanes while they lie within a 128-bit block (levels below
/// log2 of the block's lanes), else whole blocks.
/// </summary>
internal static class LaneFolds
{
    public static unsafe void Fold<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, int level, Span<T> result)
        where T : unmanaged, System.Numerics.IAdditionOperators<T, T, T>
    {
        var blockLanes = 16 / sizeof(T);
        var inBlock = 1 << level < blockLanes;
        // Parts of `unit` lanes, in containers of `container` lanes: the first half from x's adjacent parts, then y's.
        var (unit, container) = inBlock ? (1, blockLanes) : (blockLanes, x.Length);
        var half = container / unit / 2;
        for (var start = 0; start < x.Length; start += container)
        {
            for (var part = 0; part < 2 * half; part++)
            {
                var source = part < half ? x : y;
                var from = start + 2 * (part % half) * unit;
                for (var lane = 0; lane < unit; lane++)
                    result[start + part * unit + lane] = source[from + lane] + source[from + unit + lane];
            }
        }
    }
}
