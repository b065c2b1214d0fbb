namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// Moves a block of computed pixels into NCHW output rows: virtual pixels (dropping the ones that are no output), or
/// pixels that are the outputs themselves; and col2im's scatter of computed im2col rows, either kind.
/// </summary>
internal static unsafe class OutputRows
{
    /// <summary>
    /// For every output (row i, column j) whose virtual pixel <c>v = RowStart(i) + j·ColumnStep</c> lies in [first, end):
    /// <c>output[i·Columns + j] = block[v − first] + bias</c>.
    /// </summary>
    public static void Write<T, V>(T* block, int first, int end, PixelGrid grid, T bias, T* output)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var step = grid.ColumnStep;
        for (var i = grid.RowAt(first); i < grid.Rows && grid.RowStart(i) < end; i++)
        {
            var rowStart = grid.RowStart(i);
            var j0 = Math.Max(0, (first - rowStart + step - 1) / step);
            var j1 = Math.Min(grid.Columns, (end - rowStart + step - 1) / step);
            if (j1 > j0)
                Copy<T, V>(block + rowStart + j0 * step - first, step, output + i * grid.Columns + j0, j1 - j0, bias);
        }
    }

    /// <summary><c>output[x] = block[x] + bias</c> for x &lt; <paramref name="count"/>: a block whose pixels are the outputs.</summary>
    public static void WriteDense<T, V>(T* block, T* output, int count, T bias)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T> =>
        Copy<T, V>(block, 1, output, count, bias);

    private static void Copy<T, V>(T* src, int step, T* dst, int count, T bias)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var j = 0;
        if (step == 1 && count >= V.Count)
        {
            var b = V.Broadcast(bias);
            for (; j + V.Count <= count; j += V.Count)
                V.Store(V.Add(V.Load(src + j), b), dst + j);
            // The last partial vector again ends flush with the row: rewriting a few elements beats a scalar loop.
            j = count - V.Count;
            V.Store(V.Add(V.Load(src + j), b), dst + j);
            return;
        }
        for (; j < count; j++)
            dst[j] = src[j * step] + bias;
    }

    /// <summary><c>destination[x] += row[x]</c> for x &lt; <paramref name="count"/>: col2im's scatter of one im2col row.</summary>
    public static void AddTo<T, V>(T* row, T* destination, int count)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var x = 0;
        for (; x + V.Count <= count; x += V.Count)
            V.Store(V.Add(V.Load(destination + x), V.Load(row + x)), destination + x);
        for (; x < count; x++)
            destination[x] += row[x];
    }

    /// <summary>
    /// <c>destination[RowStart(i) + j·ColumnStep] += row[p − first]</c> for the outputs p = i·Columns + j in [first, end):
    /// col2im's scatter of one im2col row computed over outputs rather than virtual pixels.
    /// </summary>
    public static void AddThrough<T, V>(T* row, int first, int end, PixelGrid grid, T* destination)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var step = grid.ColumnStep;
        for (var p = first; p < end;)
        {
            var i = p / grid.Columns;
            var j = p - i * grid.Columns;
            var run = Math.Min(grid.Columns - j, end - p);
            var dst = destination + grid.RowStart(i) + j * step;
            if (step == 1)
            {
                AddTo<T, V>(row + (p - first), dst, run);
            }
            else
            {
                for (var x = 0; x < run; x++)
                    dst[x * step] += row[p - first + x];
            }
            p += run;
        }
    }
}
