namespace ConvService.Domain.Convolution.Kernels;

/// <summary>Lays gradOutput planes out over <see cref="PixelGrid"/>'s virtual pixels, so the GEMMs can read them as rows.</summary>
internal static unsafe class VirtualSpread
{
    /// <summary>
    /// <c>spread[plane·rowLength + RowStart(i) + j·ColumnStep] = gradOutput[plane, i, j]</c>, zeros elsewhere (rowLength ≥ Length);
    /// one pass that writes every element once, planes shared among <paramref name="workers"/>.
    /// </summary>
    public static void Spread<T>(PixelGrid grid, int planes, T* gradOutput, T* spread, int rowLength, int workers)
        where T : unmanaged
    {
        workers = Math.Min(workers, planes);
        ParallelSplit.Run(workers, worker =>
        {
            var (first, end) = ((int)((long)planes * worker / workers), (int)((long)planes * (worker + 1) / workers));
            for (var plane = first; plane < end; plane++)
                Plane(grid, new ReadOnlySpan<T>(gradOutput + (long)plane * grid.Outputs, grid.Outputs), new Span<T>(spread + (long)plane * rowLength, rowLength));
        });
    }

    private static void Plane<T>(PixelGrid grid, ReadOnlySpan<T> gradOutput, Span<T> spread)
        where T : unmanaged
    {
        for (var i = 0; i < grid.Rows; i++)
        {
            var src = gradOutput.Slice(i * grid.Columns, grid.Columns);
            var start = grid.RowStart(i);
            var row = spread[start..(i == grid.Rows - 1 ? spread.Length : grid.RowStart(i + 1))];
            if (grid.ColumnStep == 1)
            {
                src.CopyTo(row);
                row[src.Length..].Clear();
                continue;
            }
            row.Clear();
            for (var j = 0; j < src.Length; j++)
                row[j * grid.ColumnStep] = src[j];
        }
    }
}
