using System.Runtime.CompilerServices;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>The last micro-panel of pixels, copied so the tile never reads past the input: zeros beyond its end.</summary>
internal static unsafe class TailPanel
{
    /// <summary><c>panel[k·width + x] = b[offsets[k] + x]</c> for x &lt; <paramref name="count"/>, else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Pack<T, V>(T* b, int* offsets, int depth, int count, int width, T* panel)
        where T : unmanaged
        where V : struct, ISimd<V, T>
    {
        var whole = count / V.Count * V.Count;
        for (var k = 0; k < depth; k++)
        {
            var src = b + offsets[k];
            var dst = panel + k * width;
            for (var x = 0; x < whole; x += V.Count)
                V.Store(V.Load(src + x), dst + x);
            // Zeros in whole vectors first, then the few elements left over: S3's 30-pixel tail is 14 scalar copies, not 32.
            for (var x = whole; x < width; x += V.Count)
                V.Store(V.Zero, dst + x);
            for (var x = whole; x < count; x++)
                dst[x] = src[x];
        }
    }
}
