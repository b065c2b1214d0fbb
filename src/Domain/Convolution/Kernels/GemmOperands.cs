namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// What <see cref="VirtualGemm{T, V}"/> multiplies and where the product goes, per image-group <c>ig = n·groups + g</c>:
/// <c>C[Rows × pixels] = A_g[Rows × Depth] · B_ig[Depth × pixels]</c>, B's row k at <c>B + ig·BStride + Offsets[k]</c>.
/// The pixels are <see cref="PixelGrid"/>'s virtual pixels, or with <see cref="Dense"/> the outputs themselves.
/// </summary>
internal unsafe struct GemmOperands<T> where T : unmanaged
{
    /// <summary>A, groups in order, laid out as <see cref="ALayout"/> says.</summary>
    public T* A;

    public WeightLayout ALayout;

    public T* B;

    public long BStride;

    /// <summary>One past B's last element: with <see cref="Gather"/>, the gather may read whole vectors up to it.</summary>
    public T* BEnd;

    public int* Offsets;

    /// <summary>Rows of C per group.</summary>
    public int Rows;

    public int Depth;

    /// <summary>
    /// Where C goes. Without <see cref="Scatter"/>: row r is output plane <c>ig·Rows + r</c> (pixels dropped per
    /// <see cref="PixelGrid"/>, <see cref="Bias"/>[g·Rows + r] added when not null). With it (col2im): row r is added at
    /// <c>Destination + ig·DestinationStride + Scatter[r] + v</c> for every pixel's virtual pixel v.
    /// </summary>
    public T* Destination;

    public T* Bias;

    /// <summary>
    /// Without <see cref="Scatter"/>: how far apart output planes lie, where that is more than the grid's outputs (the
    /// interior of 1-D rows, <see cref="InteriorRows"/>, with <see cref="Destination"/> at its first); 0 for the grid's outputs.
    /// </summary>
    public long OutputPlane;

    public int* Scatter;

    /// <summary>With <see cref="Scatter"/>: consecutive rows that add into the same destination channel (kH·kW).</summary>
    public int RowsPerChannel;

    public long DestinationStride;

    /// <summary>
    /// The GEMM's pixels are the outputs (p = row·Columns + column of the grid) rather than virtual pixels: nothing is
    /// computed for the cells a stride skips or a kernel overhangs. C reaches the output, or col2im's destination,
    /// through the grid.
    /// </summary>
    public bool Dense;

    /// <summary>With <see cref="Dense"/>: B's rows run over virtual pixels and are gathered into panels (<see cref="PanelGather"/>); otherwise they run over the GEMM's own pixels and are read in place.</summary>
    public bool Gather;
}

/// <summary>How A lies in memory; both in-place layouts need Rows to fill whole tiles.</summary>
internal enum WeightLayout
{
    /// <summary><see cref="WeightPanels"/>' packed panels.</summary>
    Panels,

    /// <summary>Read in place, row r of group g at <c>A + (g·Rows + r)·Depth</c>: the forward pass's kernel.</summary>
    RowMajor,

    /// <summary>Read in place, element (r, k) of group g at <c>A + (g·Depth + k)·Rows + r</c>: the kernel seen as Wᵀ by the input gradient.</summary>
    ColumnMajor,
}
