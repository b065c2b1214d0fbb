using System.Numerics;
using System.Runtime.CompilerServices;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// Where <see cref="GemmTile"/> puts a finished row of its tile: row r's vectors 0 … W.Count − 1. Implementations are
/// readonly structs: the tile stores through a copy of the one it is given, whose fields then stay in registers.
/// </summary>
internal interface ITileStore<T, V>
    where T : unmanaged
    where V : struct, ISimd<V, T>
{
    void Row<W>(int r, V s0, V s1, V s2)
        where W : struct, ITileVectors;
}

/// <summary>Into C's block, row r at <c>C + r·Pitch</c>: a depth block that more will be added to, or a col2im row to scatter.</summary>
internal readonly unsafe struct BlockStore<T, V>(T* c, int pitch) : ITileStore<T, V>
    where T : unmanaged
    where V : struct, ISimd<V, T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Row<W>(int r, V s0, V s1, V s2)
        where W : struct, ITileVectors =>
        GemmTile.Store<T, V, W>(c + r * pitch, V.Count, s0, s1, s2);
}

/// <summary>
/// Straight into the output planes, bias added: row r is plane <c>Output + r·PlaneLength</c>, and vector w's lanes go to
/// at most two runs of it (<see cref="TileLanes{T, V}"/>). This spares the forward pass a second trip through C's block: for
/// S4 (depth 25) that copy took 21% of the samples against 39% for the multiply-adds.
/// </summary>
internal readonly unsafe struct OutputStore<T, V>(T* output, long planeLength, int rows, T* bias, TileLanes<T, V> lanes) : ITileStore<T, V>
    where T : unmanaged, IFloatingPointIeee754<T>
    where V : struct, ISimd<V, T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Row<W>(int r, V s0, V s1, V s2)
        where W : struct, ITileVectors
    {
        // Rows past the group's last (a tile's padding rows) have no plane.
        if (r >= rows)
            return;
        var row = output + r * planeLength;
        var b = V.Broadcast(bias == null ? T.Zero : bias[r]);
        lanes.Put(0, V.Add(s0, b), row);
        if (W.Count > 1) lanes.Put(1, V.Add(s1, b), row);
        if (W.Count > 2) lanes.Put(2, V.Add(s2, b), row);
    }
}

/// <summary>
/// Where each lane of a panel's vectors lands in an output plane: vector w's lanes make up to two runs (the end of one
/// output row and the start of the next), each a masked store at an offset chosen so that lane x lands at its output.
/// Lanes that are no output (a kernel's overhang, pixels past the block) are in neither mask.
/// </summary>
internal readonly unsafe struct TileLanes<T, V>(int* offsets, T* masks)
    where T : unmanaged
    where V : struct, ISimd<V, T>
{
    /// <summary>Marks an absent second run.</summary>
    private const int None = int.MinValue;

    /// <summary>Ints of offsets and Ts of masks a panel of <see cref="GemmTile.Vectors"/> vectors needs.</summary>
    public static int OffsetLength => 2 * GemmTile.Vectors;

    public static int MaskLength => 2 * GemmTile.Vectors * V.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Put(int w, V value, T* row)
    {
        V.StoreMasked(value, row + offsets[2 * w], V.Load(masks + 2 * w * V.Count));
        if (offsets[2 * w + 1] != None)
            V.StoreMasked(value, row + offsets[2 * w + 1], V.Load(masks + (2 * w + 1) * V.Count));
    }

    /// <summary>
    /// Whether every vector of the GEMM's pixels covers at most two runs of outputs: always for dense pixels; for
    /// virtual pixels, at stride 1 along the last axis when output rows start a vector or more apart (<see cref="PixelGrid.Width"/>),
    /// so that a vector's window meets at most two of them.
    /// </summary>
    public static bool Fit(PixelGrid grid, bool dense) => dense || (grid.ColumnStep == 1 && (grid.Rows == 1 || grid.Width >= V.Count));

    /// <summary>
    /// Works out vector w = 0 … <paramref name="vectors"/> − 1 of the panel at pixel <paramref name="first"/>, its
    /// lanes clipped to pixels before <paramref name="end"/>: dense pixels are the outputs, virtual ones go through the grid.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Set(PixelGrid grid, bool dense, int first, int vectors, int end)
    {
        for (var w = 0; w < vectors; w++)
        {
            var v = first + w * V.Count;
            var stop = Math.Min(end, v + V.Count);
            var runs = 0;
            if (dense)
            {
                SetRun(w, runs++, v, 0, stop - v);
            }
            else
            {
                for (var i = grid.RowAt(v); i < grid.Rows && runs < 2; i++)
                {
                    var rowStart = grid.RowStart(i);
                    if (rowStart >= stop)
                        break;
                    var (from, to) = (Math.Max(v, rowStart), Math.Min(stop, rowStart + grid.Columns));
                    if (from < to)
                        SetRun(w, runs++, i * grid.Columns + (from - rowStart) - (from - v), from - v, to - v);
                }
            }
            for (; runs < 2; runs++)
                SetRun(w, runs, runs == 0 ? 0 : None, 0, 0);
        }
    }

    private void SetRun(int w, int run, int offset, int from, int to)
    {
        offsets[2 * w + run] = offset;
        V.Store(V.Lanes(from, to), masks + (2 * w + run) * V.Count);
    }
}
