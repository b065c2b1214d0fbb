namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// What <see cref="VirtualGemm{T, V}"/> multiplies and where the product goes, per image-group <c>ig = n·groups + g</c>:
/// <c>C[Rows × pixels] = A_g[Rows × Depth] · B_ig[Depth × pixels]</c>, B's row k read in place at
/// <c>B + ig·BStride + Offsets[k]</c> over virtual pixels.
/// </summary>
internal unsafe struct GemmOperands<T> where T : unmanaged
{
    /// <summary>The packed panels of <see cref="WeightPanels"/>, groups in order.</summary>
    public T* A;

    public T* B;

    public long BStride;

    public int* Offsets;

    /// <summary>Rows of C per group.</summary>
    public int Rows;

    public int Depth;

    /// <summary>
    /// Where C goes. Without <see cref="Scatter"/>: row r is output plane <c>ig·Rows + r</c> (pixels dropped per
    /// <see cref="PixelGrid"/>, <see cref="Bias"/>[g·Rows + r] added when not null). With it (col2im): row r is added at
    /// <c>Destination + ig·DestinationStride + Scatter[r] + v</c> for every virtual pixel v.
    /// </summary>
    public T* Destination;

    public T* Bias;

    public int* Scatter;

    /// <summary>With <see cref="Scatter"/>: consecutive rows that add into the same destination channel (kH·kW).</summary>
    public int RowsPerChannel;

    public long DestinationStride;
}
