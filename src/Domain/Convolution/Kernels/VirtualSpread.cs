namespace ConvService.Domain.Convolution.Kernels;

/// <summary>Lays gradOutput planes out over <see cref="PixelGrid"/>'s virtual pixels, so the GEMMs can read them as rows.</summary>
internal static class VirtualSpread
{
    /// <summary><c>spread[plane·rowLength + i·Pitch + j·ColumnStep] = gradOutput[plane, i, j]</c>, zeros elsewhere (rowLength ≥ Length).</summary>
    public static void Spread<T>(PixelGrid grid, int planes, ReadOnlySpan<T> gradOutput, Span<T> spread, int rowLength)
        where T : unmanaged
    {
        spread.Clear();
        for (var plane = 0; plane < planes; plane++)
            for (var i = 0; i < grid.Rows; i++)
            {
                var src = gradOutput.Slice((plane * grid.Rows + i) * grid.Columns, grid.Columns);
                var dst = spread.Slice(plane * rowLength + i * grid.Pitch);
                if (grid.ColumnStep == 1)
                    src.CopyTo(dst);
                else
                    for (var j = 0; j < src.Length; j++)
                        dst[j * grid.ColumnStep] = src[j];
            }
    }
}
