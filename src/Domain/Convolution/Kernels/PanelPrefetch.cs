using System.Runtime.Intrinsics.X86;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// Asks for the next pixel panel's B while the current one's tiles run. A panel read in place takes each depth step from
/// another place in the input (another tap, another channel's plane), a pattern the hardware prefetchers do not follow,
/// so the first row panel over it waited on every new line: the B loads took a quarter of S7's tile samples (perf).
/// One prefetch per line a vector may touch, for each depth step: about 1% of the instructions the panel's tiles run.
/// </summary>
internal static unsafe class PanelPrefetch
{
    /// <summary>The lines under <c>b_w[offsets[k]]</c>'s vectors (64 bytes each, any alignment) for k &lt; <paramref name="depth"/>.</summary>
    public static void Panel<T>(T* b0, T* b1, T* b2, int vectors, int* offsets, int depth)
        where T : unmanaged
    {
        if (!Sse.IsSupported)
            return;
        for (var k = 0; k < depth; k++)
        {
            var o = offsets[k];
            Vector((byte*)(b0 + o));
            if (vectors > 1)
                Vector((byte*)(b1 + o));
            if (vectors > 2)
                Vector((byte*)(b2 + o));
        }
    }

    private static void Vector(byte* at)
    {
        Sse.Prefetch0(at);
        Sse.Prefetch0(at + CacheLine.Bytes - 1);
    }
}
