namespace ConvService.Domain.Convolution.Kernels;

/// <summary>Packs the A operand of <see cref="VirtualGemm{T, V}"/> (the kernel, or its transpose) into row panels.</summary>
internal static unsafe class WeightPanels
{
    /// <summary>Panels per group: the group's rows rounded up to whole tiles.</summary>
    public static int PerGroup(int rows) => (rows + GemmTile.Rows - 1) / GemmTile.Rows;

    /// <summary>
    /// <c>packed[((g·panels + panel)·depth + k)·Rows + r] = source[g·groupStride + row·rowStride + k·depthStride]</c> with
    /// <c>row = panel·Rows + r</c>, and 0 for rows past the group's last so that edge tiles need no special case.
    /// Panels are shared among workers when there are many elements: with few pixels per weight (S3) the packing is a
    /// tenth of the convolution.
    /// </summary>
    public static void Pack<T>(T* source, int groups, int rows, int depth, long groupStride, int rowStride, int depthStride, T* packed)
        where T : unmanaged
    {
        var panels = PerGroup(rows);
        ParallelSplit.Ranges(groups * panels, (long)groups * panels * GemmTile.Rows * depth, (first, end) =>
        {
            for (var index = first; index < end; index++)
            {
                var (g, panel) = (index / panels, index % panels);
                var row0 = panel * GemmTile.Rows;
                PackPanel(source + g * groupStride + (long)row0 * rowStride, Math.Min(GemmTile.Rows, rows - row0), depth, rowStride, depthStride, packed + (long)index * depth * GemmTile.Rows);
            }
        });
    }

    public static int Length(int groups, int rows, int depth) => groups * PerGroup(rows) * GemmTile.Rows * depth;

    /// <summary>
    /// One panel, k by k, so that the writes run in order: the forward's rows are eight streams along k, the data
    /// gradient's eight neighbours of one k.
    /// </summary>
    private static void PackPanel<T>(T* source, int count, int depth, int rowStride, int depthStride, T* destination)
        where T : unmanaged
    {
        for (var k = 0; k < depth; k++, destination += GemmTile.Rows)
        {
            var src = source + (long)k * depthStride;
            var r = 0;
            for (; r < count; r++)
                destination[r] = src[(long)r * rowStride];
            for (; r < GemmTile.Rows; r++)
                destination[r] = default;
        }
    }
}
