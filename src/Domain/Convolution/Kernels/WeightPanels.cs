namespace ConvService.Domain.Convolution.Kernels;

/// <summary>Packs the A operand of <see cref="VirtualGemm{T, V}"/> (the kernel, or its transpose) into row panels.</summary>
internal static unsafe class WeightPanels
{
    /// <summary>Panels per group: the group's rows rounded up to whole tiles.</summary>
    public static int PerGroup(int rows) => (rows + GemmTile.Rows - 1) / GemmTile.Rows;

    /// <summary>
    /// <c>packed[((g·panels + panel)·depth + k)·Rows + r] = source[g·groupStride + row·rowStride + k·depthStride]</c> with
    /// <c>row = panel·Rows + r</c>, and 0 for rows past the group's last so that edge tiles need no special case.
    /// </summary>
    public static void Pack<T>(T* source, int groups, int rows, int depth, long groupStride, int rowStride, int depthStride, T* packed)
        where T : unmanaged
    {
        var panels = PerGroup(rows);
        for (var g = 0; g < groups; g++)
            for (var panel = 0; panel < panels; panel++)
            {
                var dst = packed + (long)(g * panels + panel) * depth * GemmTile.Rows;
                for (var r = 0; r < GemmTile.Rows; r++)
                {
                    var row = panel * GemmTile.Rows + r;
                    var src = source + g * groupStride + (long)row * rowStride;
                    for (var k = 0; k < depth; k++)
                        dst[k * GemmTile.Rows + r] = row < rows ? src[(long)k * depthStride] : default;
                }
            }
    }

    public static int Length(int groups, int rows, int depth) => groups * PerGroup(rows) * GemmTile.Rows * depth;
}
