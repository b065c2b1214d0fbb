using System.Runtime.CompilerServices;
using ConvService.Domain.Pooling.Windows;

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
    /// The layout of the column windows of <paramref name="windows"/>, or null where the row kernels do not apply:
    /// dilated columns, column windows of differing widths, an empty window, or a plane too large for exact positions.
    /// </summary>
    public static RowLayout? Of(PlaneWindows windows)
    {
        var cols = windows.Columns;
        if (cols.Step != 1 || cols.Kernel <= 0 || windows.RowCount == 0 || cols.Count == 0 || (long)windows.Height * windows.Width > MaxPlaneLength)
            return null;
        if (!windows.RowsHoldCells || !AllHoldCells(cols))
            return null;
        var (min, max) = (int.MaxValue, int.MinValue);
        foreach (var start in cols.Start)
            (min, max) = (Math.Min(min, start), Math.Max(max, start));
        var padLeft = Math.Max(0, -min);
        var accLength = (max + padLeft + Lanes) / Lanes * Lanes;
        return new RowLayout(cols.Kernel, padLeft, accLength, Math.Max(padLeft + windows.Width, accLength + cols.Kernel - 1));
    }

    /// <summary>Whether every window starts at a different column, so that spreading gradients back can use one slot per window.</summary>
    public static bool StartsDistinct(AxisWindows cols)
    {
        for (var o = 1; o < cols.Count; o++)
        {
            if (cols.Start[o] <= cols.Start[o - 1])
                return false;
        }
        return true;
    }

    /// <summary>The scratch a padded copy of a plane of <paramref name="length"/> elements in rows of <paramref name="width"/> needs: 0 when its own rows serve (no begin padding, every window ends inside the row).</summary>
    public int PaddedLength(int length, int width) => PadLeft == 0 && PaddedWidth <= width ? 0 : length / width * PaddedWidth;

    /// <summary>
    /// The rows the kernels fold: <paramref name="plane"/> itself when <paramref name="padded"/> is empty, else its
    /// copy padded with <paramref name="fill"/> (<see cref="Pad"/>); <paramref name="stride"/> is their row length.
    /// </summary>
    public ReadOnlySpan<T> Source<T>(ReadOnlySpan<T> plane, int width, Span<T> padded, T fill, out int stride)
    {
        stride = padded.IsEmpty ? width : PaddedWidth;
        if (padded.IsEmpty)
            return plane;
        Pad(plane, width, padded, fill);
        return padded;
    }

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

    private static bool AllHoldCells(AxisWindows windows)
    {
        for (var o = 0; o < windows.Count; o++)
        {
            if (windows.Begin[o] >= windows.End[o])
                return false;
        }
        return true;
    }
}
