using System.Runtime.CompilerServices;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// Packs a micro-panel of B whose pixels are outputs rather than virtual pixels: the im2col rows gathered through
/// <see cref="PixelGrid"/>, so a strided (or overhanging) convolution multiplies only the pixels it keeps. Output p is
/// virtual pixel <c>RowStart(p / Columns) + (p mod Columns)·ColumnStep</c>; a row of outputs is a run of
/// <see cref="PixelGrid.ColumnStep"/>-spaced elements, copied a vector at a time for steps 1 and 2.
/// </summary>
internal static unsafe class PanelGather
{
    /// <summary>
    /// <c>panel[k·width + x] = b[offsets[k] + virtual(first + x)]</c> for x &lt; <paramref name="count"/>, 0 for
    /// count ≤ x &lt; width, k &lt; <paramref name="depth"/>; nothing at or past <paramref name="limit"/> is read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Pack<T, V>(T* b, int* offsets, int depth, PixelGrid grid, int first, int count, int width, T* panel, T* limit)
        where T : unmanaged
        where V : struct, ISimd<V, T>
    {
        var end = first + count;
        for (var p = first; p < end;)
        {
            var row = p / grid.Columns;
            var column = p - row * grid.Columns;
            var run = Math.Min(grid.Columns - column, end - p);
            var source = b + grid.RowStart(row) + column * grid.ColumnStep;
            // Runs go left to right, so a run may write a whole vector past its end: the next run, or the zeros, overwrite it.
            var room = width - (p - first);
            for (var k = 0; k < depth; k++)
                Run<T, V>(source + offsets[k], grid.ColumnStep, panel + k * width + (p - first), run, room, limit);
            p += run;
        }
        if (count < width)
        {
            for (var k = 0; k < depth; k++)
                new Span<T>(panel + k * width + count, width - count).Clear();
        }
    }

    /// <summary>
    /// <c>destination[x] = source[x·step]</c> for x &lt; count; destination[count … room) may be overwritten, and
    /// nothing at or past <paramref name="limit"/> is read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<T, V>(T* source, int step, T* destination, int count, int room, T* limit)
        where T : unmanaged
        where V : struct, ISimd<V, T>
    {
        var x = 0;
        if (step == 1)
        {
            for (; x + V.Count <= count; x += V.Count)
                V.Store(V.Load(source + x), destination + x);
            if (x < count && x + V.Count <= room && source + x + V.Count <= limit)
                V.Store(V.Load(source + x), destination + x);
            else
                Scalar(source, step, destination, x, count);
            return;
        }
        if (step == 2)
        {
            // Two vectors hold 2·Count source elements; the last one read is 2x + 2·Count − 1 ≤ 2(count − 1).
            for (; 2 * (x + V.Count) <= 2 * count - 1; x += V.Count)
                V.Store(V.Evens(V.Load(source + 2 * x), V.Load(source + 2 * x + V.Count)), destination + x);
        }
        Scalar(source, step, destination, x, count);
    }

    private static void Scalar<T>(T* source, int step, T* destination, int x, int count)
        where T : unmanaged
    {
        for (; x < count; x++)
            destination[x] = source[x * step];
    }
}
