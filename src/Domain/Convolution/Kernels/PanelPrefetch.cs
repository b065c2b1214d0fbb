using System.Runtime.Intrinsics.X86;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// Asks for the next pixel panel's B while the current one's tiles run. A panel read in place takes each depth step from
/// another place in the input (another tap, another channel's plane), a pattern the hardware prefetchers do not follow,
/// so the first row panel over it waited on every new line: the B loads took a quarter of S7's tile samples (perf).
/// Neighbouring taps read nearly the same lines (a kernel row's taps are one element apart), so the lines are asked for
/// a span of taps at a time (<see cref="Spans"/>), each once: S2's 576 taps make 192 spans of 50 floats, five prefetches
/// each, where a prefetch for each end of each tap's three vectors made 3,456 per panel.
/// </summary>
internal static unsafe class PanelPrefetch
{
    /// <summary>
    /// The elements a depth block's taps read from one base, as spans [start, end) in tap order: a tap whose
    /// <paramref name="width"/> elements from <c>offsets[k]</c> start within the span before it (or where it ends)
    /// extends that span. Writes the pairs to <paramref name="spans"/> (room for two per tap) and returns
    /// how many.
    /// </summary>
    public static int Spans(ReadOnlySpan<int> offsets, int width, Span<int> spans)
    {
        var count = 0;
        foreach (var offset in offsets)
        {
            if (count > 0 && offset >= spans[2 * count - 2] && offset <= spans[2 * count - 1])
            {
                spans[2 * count - 1] = Math.Max(spans[2 * count - 1], offset + width);
                continue;
            }
            (spans[2 * count], spans[2 * count + 1]) = (offset, offset + width);
            count++;
        }
        return count;
    }

    /// <summary>Every line under <c>b[start … end)</c> for each span (pairs of element offsets), whatever b's alignment.</summary>
    public static void Lines<T>(T* b, ReadOnlySpan<int> spans)
        where T : unmanaged
    {
        if (!Sse.IsSupported)
            return;
        var step = CacheLine.Bytes / sizeof(T);
        for (var i = 0; i < spans.Length; i += 2)
        {
            var (start, end) = (spans[i], spans[i + 1]);
            // One prefetch per line from the first element's, then the last element's line, which the steps may miss.
            for (var p = start; p < end; p += step)
                Sse.Prefetch0(b + p);
            Sse.Prefetch0(b + end - 1);
        }
    }
}
