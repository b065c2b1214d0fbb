namespace ConvService.Domain.Convolution.Kernels;

/// <summary>Lays gradOutput planes out over <see cref="PixelGrid"/>'s virtual pixels, so the GEMMs can read them as rows.</summary>
internal static class VirtualSpread
{
    /// <summary>
    /// <c>spread[plane·rowLength + i·Pitch + j·ColumnStep] = gradOutput[plane, i, j]</c>, zeros elsewhere (rowLength ≥ Length);
    /// one pass that writes every element once.
    /// </summary>
    public static void Spread<T>(PixelGrid grid, int planes, ReadOnlySpan<T> gradOutput, Span<T> spread, int rowLength)
        where T : unmanaged
    {
        for (var plane = 0; plane < planes; plane++)
        {
            var dst = spread.Slice(plane * rowLength, rowLength);
            for (var i = 0; i < grid.Rows; i++)
            {
                var src = gradOutput.Slice((plane * grid.Rows + i) * grid.Columns, grid.Columns);
                var row = dst.Slice(i * grid.Pitch, i == grid.Rows - 1 ? rowLength - i * grid.Pitch : grid.Pitch);
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
}
