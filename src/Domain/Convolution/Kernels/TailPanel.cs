namespace ConvService.Domain.Convolution.Kernels;

/// <summary>The last micro-panel of pixels, copied so the tile never reads past the input: zeros beyond its end.</summary>
internal static unsafe class TailPanel
{
    /// <summary><c>panel[k·width + x] = b[offsets[k] + x]</c> for x &lt; <paramref name="count"/>, else 0.</summary>
    public static void Pack<T, V>(T* b, int* offsets, int depth, int count, int width, T* panel)
        where T : unmanaged
        where V : struct, ISimd<V, T>
    {
        var whole = count / V.Count * V.Count;
        for (var k = 0; k < depth; k++)
        {
            var src = b + offsets[k];
            var dst = panel + k * width;
            var x = 0;
            for (; x < whole; x += V.Count)
                V.Store(V.Load(src + x), dst + x);
            for (; x < width; x++)
                dst[x] = x < count ? src[x] : default;
        }
    }
}
