using System.Runtime.CompilerServices;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>Lays gradOutput planes out over <see cref="PixelGrid"/>'s virtual pixels, so the GEMMs can read them as rows.</summary>
internal static unsafe class VirtualSpread
{
    /// <summary>
    /// <c>spread[plane·rowLength + RowStart(i) + j·ColumnStep] = gradOutput[plane, i, j]</c>, zeros elsewhere (rowLength ≥ Length);
    /// one pass that writes every element once, planes shared among <paramref name="workers"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Spread<T, V>(PixelGrid grid, int planes, T* gradOutput, T* spread, int rowLength, int workers)
        where T : unmanaged
        where V : struct, ISimd<V, T>
    {
        workers = Math.Min(workers, planes);
        ParallelSplit.Run(workers, worker =>
        {
            var (first, end) = ((int)((long)planes * worker / workers), (int)((long)planes * (worker + 1) / workers));
            for (var plane = first; plane < end; plane++)
                Plane<T, V>(grid, gradOutput + (long)plane * grid.Outputs, spread + (long)plane * rowLength, rowLength);
        });
    }

    /// <summary>
    /// One plane, row by row in order. Rows are short (S4: 28 outputs then 4 zeros), so they are copied in vectors inline
    /// rather than by a memmove and a clear per row; a vector of zeros may run into the next rows, which are written after it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Plane<T, V>(PixelGrid grid, T* gradOutput, T* spread, int length)
        where T : unmanaged
        where V : struct, ISimd<V, T>
    {
        var (n, columns) = (V.Count, grid.Columns);
        for (var i = 0; i < grid.Rows; i++)
        {
            T* src = gradOutput + (long)i * columns, row = spread + grid.RowStart(i);
            var rowEnd = i == grid.Rows - 1 ? length : grid.RowStart(i + 1);
            var room = length - grid.RowStart(i);
            var gapEnd = rowEnd - grid.RowStart(i);
            if (grid.ColumnStep != 1)
            {
                new Span<T>(row, gapEnd).Clear();
                for (var j = 0; j < columns; j++)
                    row[j * grid.ColumnStep] = src[j];
                continue;
            }
            var x = 0;
            for (; x + n <= columns; x += n)
                V.Store(V.Load(src + x), row + x);
            if (x < columns && columns >= n)
                V.Store(V.Load(src + columns - n), row + columns - n);
            else
                for (; x < columns; x++)
                    row[x] = src[x];
            for (x = columns; x < gapEnd; x += n)
            {
                if (x + n <= room)
                    V.Store(V.Zero, row + x);
                else
                    new Span<T>(row + x, gapEnd - x).Clear();
            }
        }
    }
}
