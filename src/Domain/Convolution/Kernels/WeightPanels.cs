namespace ConvService.Domain.Convolution.Kernels;

/// <summary>Packs the kernel, read as A (Cout × K, K = C/groups·kH·kW), into the GEMM's row panels.</summary>
internal static unsafe class WeightPanels
{
    /// <summary>Panels per group: the group's output channels rounded up to whole tiles.</summary>
    public static int PerGroup(int outChannelsPerGroup) => (outChannelsPerGroup + GemmTile.Rows - 1) / GemmTile.Rows;

    /// <summary>
    /// <c>packed[((panel·K + k)·Rows + r]</c> = kernel row <c>panel·Rows + r</c> at column k (panels of all groups in
    /// order), zero for the rows past a group's last channel so that edge tiles need no special case.
    /// </summary>
    public static void Pack<T>(T* kernel, int outChannels, int groups, int depth, T* packed)
        where T : unmanaged
    {
        var perGroup = outChannels / groups;
        var panels = PerGroup(perGroup);
        for (var g = 0; g < groups; g++)
            for (var panel = 0; panel < panels; panel++)
            {
                var dst = packed + (g * panels + panel) * depth * GemmTile.Rows;
                for (var r = 0; r < GemmTile.Rows; r++)
                {
                    var row = panel * GemmTile.Rows + r;
                    var src = kernel + (g * perGroup + row) * depth;
                    for (var k = 0; k < depth; k++)
                        dst[k * GemmTile.Rows + r] = row < perGroup ? src[k] : default;
                }
            }
    }
}
