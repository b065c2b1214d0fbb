namespace ConvService.Domain.Pooling.Rows;

/// <summary>
/// How a plane's column windows map onto one padded input row: the row is shifted right by <see cref="PadLeft"/>
/// and extended to <see cref="PaddedWidth"/>, and a window starting at padded column <c>c</c> is folded into
/// <c>acc[c]</c> for <c>c &lt; <see cref="AccLength"/></c>.
/// </summary>
internal readonly record struct RowLayout(int Kernel, int PadLeft, int AccLength, int PaddedWidth)
{
    /// <summary>Plane positions are carried in the element type by the indexed path; float holds integers exactly below 2^24.</summary>
    private const long MaxPlaneLength = 1 << 24;

    /// <summary>
    /// The layout of <paramref name="cols"/> over rows of <paramref name="width"/>, or null where the row kernels do not
    /// apply: dilated taps, windows of differing widths, an empty window, or a plane too large for exact positions.
    /// </summary>
    public static RowLayout? Of(PoolWindows rows, PoolWindows cols, int height, int width)
    {
        if (rows.Step != 1 || cols.Step != 1 || cols.Kernel <= 0 || rows.Count == 0 || cols.Count == 0 || (long)height * width > MaxPlaneLength)
            return null;
        if (!AllHoldCells(rows) || !AllHoldCells(cols))
            return null;
        var (min, max) = (int.MaxValue, int.MinValue);
        foreach (var start in cols.Start)
            (min, max) = (Math.Min(min, start), Math.Max(max, start));
        var padLeft = Math.Max(0, -min);
        var accLength = max + padLeft + 1;
        return new RowLayout(cols.Kernel, padLeft, accLength, Math.Max(padLeft + width, accLength + cols.Kernel - 1));
    }

    /// <summary>Whether every window starts at a different column, so that spreading gradients back can use one slot per window.</summary>
    public static bool StartsDistinct(PoolWindows cols)
    {
        for (var o = 1; o < cols.Count; o++)
        {
            if (cols.Start[o] <= cols.Start[o - 1])
                return false;
        }
        return true;
    }

    /// <summary>The input row <paramref name="h"/> in padded columns: the plane's row itself where no padding is needed, else copied into <paramref name="padded"/> (whose pads the caller filled).</summary>
    public ReadOnlySpan<T> Row<T>(ReadOnlySpan<T> plane, int width, int h, Span<T> padded)
    {
        if (PadLeft == 0 && PaddedWidth <= width)
            return plane.Slice(h * width, width);
        plane.Slice(h * width, width).CopyTo(padded[PadLeft..]);
        return padded[..PaddedWidth];
    }

    private static bool AllHoldCells(PoolWindows windows)
    {
        for (var o = 0; o < windows.Count; o++)
        {
            if (windows.Begin[o] >= windows.End[o])
                return false;
        }
        return true;
    }
}
