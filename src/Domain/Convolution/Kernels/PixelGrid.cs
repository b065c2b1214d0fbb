namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// The "virtual pixel" view that lets the GEMM read im2col straight from the padded input without packing it. With
/// padded sizes P₀…P_{d−1}, output (i₀, …, i_{d−1}) is virtual pixel <c>v = Σ_a i_a·stride_a·Π_{b&gt;a} P_b</c>, so tap
/// (c, p₀, …) of pixel v sits at <c>c·plane + Σ_a p_a·dilation_a·Π_{b&gt;a} P_b + v</c> of the group's padded channels.
/// Outputs come in rows along the last axis (<see cref="Columns"/> apart by <see cref="ColumnStep"/>); row r, over the
/// outer axes in row-major order, starts at <see cref="RowStart"/>. Virtual pixels that are no output (the cells the
/// kernel hangs over, the skipped strides) are computed and dropped; in 2-D at stride 1 that costs <c>(Wp − Wo)/Wp</c>.
/// </summary>
internal readonly struct PixelGrid
{
    private readonly int[] _sizes;
    private readonly int[] _pitches;

    /// <param name="sizes">The output sizes of the outer d − 1 axes, outermost first.</param>
    /// <param name="pitches">Their virtual-pixel steps, <c>stride_a·Π_{b&gt;a} P_b</c>.</param>
    /// <param name="columns">The output size of the last axis.</param>
    /// <param name="columnStep">The stride of the last axis.</param>
    /// <param name="planeLength">Π P_a, one padded channel.</param>
    /// <param name="width">P_{d−1}, the padded size of the last axis.</param>
    public PixelGrid(int[] sizes, int[] pitches, int columns, int columnStep, int planeLength, int width)
    {
        (_sizes, _pitches, Columns, ColumnStep, PlaneLength, Width) = (sizes, pitches, columns, columnStep, planeLength, width);
        Rows = sizes.Aggregate(1, (rows, size) => rows * size);
        Length = RowStart(Rows - 1) + (Columns - 1) * ColumnStep + 1;
    }

    /// <summary>Rows of outputs: the product of the outer axes' output sizes (1 in 1-D).</summary>
    public int Rows { get; }

    public int Columns { get; }

    public int ColumnStep { get; }

    public int PlaneLength { get; }

    /// <summary>
    /// P_{d−1}, the padded size of the last axis: consecutive output rows start at least this far apart, the next row
    /// of the same plane one stride of rows on, the first row of the next at least one whole padded row on.
    /// </summary>
    public int Width { get; }

    /// <summary>One past the last virtual pixel that is an output.</summary>
    public int Length { get; }

    public int Outputs => Rows * Columns;

    public static PixelGrid Of(ConvGeometry g)
    {
        var axes = g.Axes;
        var d = axes.Length;
        var (sizes, pitches) = (new int[d - 1], new int[d - 1]);
        var inner = (int)axes[d - 1].PaddedInput;
        for (var a = d - 2; a >= 0; a--)
        {
            (sizes[a], pitches[a]) = (axes[a].Output, axes[a].Stride * inner);
            inner *= (int)axes[a].PaddedInput;
        }
        return new PixelGrid(sizes, pitches, axes[d - 1].Output, axes[d - 1].Stride, inner, (int)axes[d - 1].PaddedInput);
    }

    /// <summary>The virtual pixel of output row <paramref name="row"/>'s first column.</summary>
    public int RowStart(int row)
    {
        var start = 0;
        for (var a = _sizes.Length - 1; a >= 0; a--)
        {
            start += row % _sizes[a] * _pitches[a];
            row /= _sizes[a];
        }
        return start;
    }

    /// <summary>The virtual pixel of output <paramref name="pixel"/> (row-major over the output sizes).</summary>
    public int VirtualPixel(int pixel)
    {
        var row = pixel / Columns;
        return RowStart(row) + (pixel - row * Columns) * ColumnStep;
    }

    /// <summary>
    /// Whether every run of <paramref name="vector"/> outputs starting at a multiple of it lies within one row, at
    /// consecutive virtual pixels: stride 1 along the last axis, whose output size is a multiple of the vector.
    /// </summary>
    public bool RowsHoldVectors(int vector) => ColumnStep == 1 && Columns % vector == 0;

    /// <summary>The last row that starts at or before virtual pixel <paramref name="position"/> (or row 0).</summary>
    public int RowAt(int position)
    {
        var row = 0;
        for (var a = 0; a < _sizes.Length; a++)
        {
            var index = Math.Min(position / _pitches[a], _sizes[a] - 1);
            position -= index * _pitches[a];
            row = row * _sizes[a] + index;
        }
        return row;
    }

    /// <summary>
    /// offsets[k] for k = (c·K₀ + p₀)·K₁ + … (the kernel's own order): where tap k of virtual pixel 0 lies in the group's
    /// padded channels, <c>c·plane + Σ_a p_a·dilation_a·Π_{b&gt;a} P_b</c>.
    /// </summary>
    public static void TapOffsets(ConvGeometry g, Span<int> offsets) => TapOffsets(g, Of(g).PlaneLength, offsets);

    /// <summary>As <see cref="TapOffsets(ConvGeometry, Span{int})"/>, for a caller that has the grid's <paramref name="plane"/> length.</summary>
    public static void TapOffsets(ConvGeometry g, int plane, Span<int> offsets)
    {
        var axes = g.Axes;
        var taps = g.Windows.KernelCells;
        for (var k = 0; k < taps; k++)
        {
            // k's digits over the kernel axes, innermost first.
            var (rest, offset, inner) = (k, 0, 1);
            for (var a = axes.Length - 1; a >= 0; a--)
            {
                offset += rest % axes[a].Kernel * axes[a].Dilation * inner;
                (rest, inner) = (rest / axes[a].Kernel, inner * (int)axes[a].PaddedInput);
            }
            for (var c = 0; c < g.InChannelsPerGroup; c++)
                offsets[c * taps + k] = c * plane + offset;
        }
    }

    /// <summary>How far past virtual pixel v its col2im writes: the last tap's offset within a channel.</summary>
    public static int Reach(ConvGeometry g)
    {
        var (reach, inner) = (0, 1);
        for (var a = g.Axes.Length - 1; a >= 0; a--)
        {
            reach += (g.Axes[a].Kernel - 1) * g.Axes[a].Dilation * inner;
            inner *= (int)g.Axes[a].PaddedInput;
        }
        return reach;
    }
}
