namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// The runs of outputs in a block of a GEMM's pixels, worked out once per block for every row of C: where each run
/// starts in the block, where it goes, and how many outputs it holds. A run is one output row's share of the block, so
/// finding it takes <see cref="PixelGrid.RowStart"/>'s divisions; the rows of C then only add offsets.
/// </summary>
internal static unsafe class PixelRuns
{
    /// <summary>Ints per run: block offset, target, count.</summary>
    public const int Stride = 3;

    /// <summary>The most runs a block of <paramref name="pixels"/> pixels can hold (one per pixel, and one more).</summary>
    public static int Capacity(int pixels) => Stride * (pixels + 1);

    /// <summary>
    /// Outputs p in [first, end) (the GEMM's pixels are the outputs): run at block offset p − first, target its virtual
    /// pixel <c>RowStart(p / Columns) + (p mod Columns)·ColumnStep</c>, outputs a ColumnStep apart there.
    /// </summary>
    public static int Dense(PixelGrid grid, int first, int end, int* runs)
    {
        var count = 0;
        for (var p = first; p < end; count++)
        {
            var row = p / grid.Columns;
            var column = p - row * grid.Columns;
            var run = Math.Min(grid.Columns - column, end - p);
            (runs[Stride * count], runs[Stride * count + 1], runs[Stride * count + 2]) = (p - first, grid.RowStart(row) + column * grid.ColumnStep, run);
            p += run;
        }
        return count;
    }

    /// <summary>
    /// Virtual pixels in [first, end): for each row i with outputs there, block offset <c>RowStart(i) + j₀·ColumnStep − first</c>
    /// (outputs a ColumnStep apart in the block), target the output index <c>i·Columns + j₀</c>.
    /// </summary>
    public static int Virtual(PixelGrid grid, int first, int end, int* runs)
    {
        var (step, count) = (grid.ColumnStep, 0);
        for (var i = grid.RowAt(first); i < grid.Rows; i++)
        {
            var rowStart = grid.RowStart(i);
            if (rowStart >= end)
                break;
            var j0 = Math.Max(0, (first - rowStart + step - 1) / step);
            var j1 = Math.Min(grid.Columns, (end - rowStart + step - 1) / step);
            if (j1 <= j0)
                continue;
            (runs[Stride * count], runs[Stride * count + 1], runs[Stride * count + 2]) = (rowStart + j0 * step - first, i * grid.Columns + j0, j1 - j0);
            count++;
        }
        return count;
    }
}
