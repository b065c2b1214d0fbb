using System.Runtime.CompilerServices;

namespace ConvService.Domain.Pooling.Rows;

/// <summary>
/// How a plane's column windows map onto one padded input row: the row is shifted right by <see cref="PadLeft"/>
/// and extended to <see cref="PaddedWidth"/>, and a window starting at padded column <c>c</c> is folded into
/// <c>acc[c]</c> for <c>c &lt; <see cref="AccLength"/></c> (rounded up to whole vectors; the columns past the last window
/// are folded over padding and never read).
/// </summary>
internal readonly record struct RowLayout(int Kernel, int PadLeft, int AccLength, int PaddedWidth)
{
    /// <summary>The accumulator is a whole number of Vector512&lt;float&gt;s (two of double), so no row ends in a scalar tail.</summary>
    private const int Lanes = 16;

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
        var accLength = (max + padLeft + Lanes) / Lanes * Lanes;
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

    /// <summary>Whether the plane's own rows serve as padded rows: no begin padding, and every window ends inside the row.</summary>
    public bool ReadsInPlace(int width) => PadLeft == 0 && PaddedWidth <= width;

    /// <summary>
    /// Copies the plane's rows into <paramref name="padded"/> (rows of <see cref="PaddedWidth"/>, shifted right by
    /// <see cref="PadLeft"/>), the pad columns set to <paramref name="fill"/> (a few per row: plain loops, not Span.Fill's generic helper).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pad<T>(ReadOnlySpan<T> plane, int width, Span<T> padded, T fill)
    {
        var height = plane.Length / width;
        for (var h = 0; h < height; h++)
        {
            var row = padded.Slice(h * PaddedWidth, PaddedWidth);
            for (var c = 0; c < PadLeft; c++)
                row[c] = fill;
            plane.Slice(h * width, width).CopyTo(row[PadLeft..]);
            for (var c = PadLeft + width; c < row.Length; c++)
                row[c] = fill;
        }
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
