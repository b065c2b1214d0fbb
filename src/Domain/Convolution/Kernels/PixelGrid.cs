namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// The "virtual pixel" view that lets the GEMM read im2col straight from the padded input without packing it:
/// output (i, j) is virtual pixel <c>v = i·Pitch + j·ColumnStep</c> with <c>Pitch = strideH·Wp</c> and
/// <c>ColumnStep = strideW</c>, so tap (c, p, q) of pixel v sits at <c>plane·c + p·dH·Wp + q·dW + v</c> of the group's
/// padded channels. Virtual pixels that are no output (the columns the kernel hangs over, the skipped strides) are
/// computed and dropped; for stride 1 that costs <c>(Wp − Wo)/Wp</c>.
/// </summary>
internal readonly record struct PixelGrid(int Rows, int Columns, int Pitch, int ColumnStep, int PlaneLength)
{
    /// <summary>One past the last virtual pixel that is an output.</summary>
    public int Length => (Rows - 1) * Pitch + (Columns - 1) * ColumnStep + 1;

    public int Outputs => Rows * Columns;

    public static PixelGrid Of(ConvGeometry g)
    {
        var (h, w) = (g.Axes[0], g.Axes[1]);
        var wp = (int)w.PaddedInput;
        return new PixelGrid(h.Output, w.Output, h.Stride * wp, w.Stride, (int)h.PaddedInput * wp);
    }

    /// <summary>offsets[k] for k = (c·kH + p)·kW + q: where tap k of virtual pixel 0 lies in the group's padded channels.</summary>
    public static void TapOffsets(ConvGeometry g, Span<int> offsets)
    {
        var (h, w) = (g.Axes[0], g.Axes[1]);
        var wp = (int)w.PaddedInput;
        var plane = (int)h.PaddedInput * wp;
        var k = 0;
        for (var c = 0; c < g.InChannelsPerGroup; c++)
            for (var p = 0; p < h.Kernel; p++)
                for (var q = 0; q < w.Kernel; q++)
                    offsets[k++] = c * plane + p * h.Dilation * wp + q * w.Dilation;
    }
}
