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
    /// gradient's eight neighbours of one k. A full panel is written eight elements at a time with its row offsets worked
    /// out once: S3's 2.4 MB kernel took a tenth of its convolution to pack through the general loop.
    /// </summary>
    private static void PackPanel<T>(T* source, int count, int depth, int rowStride, int depthStride, T* destination)
        where T : unmanaged
    {
        if (count == GemmTile.Rows)
        {
            T* s0 = source, s1 = s0 + rowStride, s2 = s1 + rowStride, s3 = s2 + rowStride;
            T* s4 = s3 + rowStride, s5 = s4 + rowStride, s6 = s5 + rowStride, s7 = s6 + rowStride;
            for (long k = 0, at = 0; k < depth; k++, at += depthStride, destination += GemmTile.Rows)
            {
                destination[0] = s0[at];
                destination[1] = s1[at];
                destination[2] = s2[at];
                destination[3] = s3[at];
                destination[4] = s4[at];
                destination[5] = s5[at];
                destination[6] = s6[at];
                destination[7] = s7[at];
            }
            return;
        }
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
