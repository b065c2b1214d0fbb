using ConvService.Domain.Convolution.Kernels;

namespace ConvService.Domain.Tests.Convolution;

/// <summary>The spans of B a panel's taps read, which the forward pass prefetches line by line.</summary>
public class PanelPrefetchTests
{
    [Fact]
    public void Spans_JoinEachKernelRowsTaps_AndKeepRowsApart()
    {
        // A 3 × 3 kernel over rows 58 apart (S2's compact layout), a panel of 48 pixels: one span per kernel row.
        int[] offsets = [0, 1, 2, 58, 59, 60, 116, 117, 118];
        var spans = new int[2 * offsets.Length];

        var count = PanelPrefetch.Spans(offsets, 48, spans);

        Assert.Equal([0, 50, 58, 108, 116, 166], spans[..(2 * count)]);
    }

    [Fact]
    public void Spans_StartAgain_WhereATapStepsBackOrPastTheSpan()
    {
        // 20 lies past [0, 16): a new span; 5 steps back before it: another; 16 lies within [5, 21) and extends it to 32.
        int[] offsets = [0, 20, 5, 16];
        var spans = new int[2 * offsets.Length];

        var count = PanelPrefetch.Spans(offsets, 16, spans);

        Assert.Equal([0, 16, 20, 36, 5, 32], spans[..(2 * count)]);
    }
}
