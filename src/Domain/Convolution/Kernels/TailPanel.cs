namespace ConvService.Domain.Convolution.Kernels;

/// <summary>The last micro-panel of pixels, copied so the tile never reads past the input: zeros beyond its end.</summary>
internal static unsafe class TailPanel
{
    /// <summary><c>panel[k·width + x] = b[offsets[k] + x]</c> for x &lt; <paramref name="count"/>, else 0.</summary>
    public static void Pack<T>(T* b, int* offsets, int depth, int count, int width, T* panel)
        where T : unmanaged
    {
        for (var k = 0; k < depth; k++)
        {
            var src = b + offsets[k];
            var dst = panel + k * width;
            for (var x = 0; x < width; x++)
                dst[x] = x < count ? src[x] : default;
        }
    }
}
