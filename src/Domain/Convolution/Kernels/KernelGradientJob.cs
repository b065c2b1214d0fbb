using System.Numerics;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// Tasks of (group, block of K, block of output channels), each summing over every image and pixel, so no two tasks
/// write the same gradient element. Pixels go in chunks; within a chunk eight gradOutput rows stay in L1 while every
/// im2col row streams past them from L2 (three neighbouring taps share their cache lines).
/// </summary>
internal sealed unsafe class KernelGradientJob<T, V>
    where T : unmanaged, IFloatingPointIeee754<T>
    where V : struct, ISimd<V, T>
{
    private static readonly int Chunk = 64 * V.Count;

    /// <summary>im2col rows per pass over an L1-resident gradOutput tile: as many as keep their chunk in half of L2.</summary>
    private static readonly int TapBlock = (512 << 10) / (Chunk * sizeof(T)) / DotTile.Columns * DotTile.Columns;
    private readonly T* _input, _spread, _gradKernel;
    private readonly int* _offsets;
    private readonly ConvGeometry _g;
    private readonly PixelGrid _grid;
    private readonly int _depth, _spreadPitch, _columnBlocks, _rowBlocks;
    private readonly CancellationToken _cancellationToken;
    private int _nextTask = -1;

    public KernelGradientJob(ConvGeometry g, T* input, T* spread, int spreadPitch, int* offsets, T* gradKernel, int workers, CancellationToken cancellationToken)
    {
        (_g, _spreadPitch, _cancellationToken) = (g, spreadPitch, cancellationToken);
        _input = input;
        _spread = spread;
        _offsets = offsets;
        _gradKernel = gradKernel;
        _grid = PixelGrid.Of(g);
        _depth = g.InChannelsPerGroup * g.Windows.KernelCells;
        var columnTiles = (_depth + DotTile.Columns - 1) / DotTile.Columns;
        var rowTiles = (g.OutChannelsPerGroup + DotTile.Rows - 1) / DotTile.Rows;
        _rowBlocks = Math.Min(rowTiles, Math.Max(1, 4 * workers / g.Groups));
        _columnBlocks = Math.Min(columnTiles, Math.Max(1, 4 * workers / (g.Groups * _rowBlocks)));
        Tasks = g.Groups * _columnBlocks * _rowBlocks;
    }

    public int Tasks { get; }

    public void RunWorker(int worker)
    {
        var tails = TensorPool<T>.Shared.Rent(TapBlock * V.Count);
        var spans = System.Buffers.ArrayPool<int>.Shared.Rent(2 * (Chunk / V.Count + 1));
        try
        {
            fixed (T* t = tails)
            fixed (int* s = spans)
                RunTasks(t, s);
        }
        finally
        {
            System.Buffers.ArrayPool<int>.Shared.Return(spans);
            TensorPool<T>.Shared.Return(tails);
        }
    }

    private void RunTasks(T* tails, int* spans)
    {
        for (var task = Interlocked.Increment(ref _nextTask); task < Tasks; task = Interlocked.Increment(ref _nextTask))
        {
            var rowBlock = task % _rowBlocks;
            var columnBlock = task / _rowBlocks % _columnBlocks;
            var group = task / (_rowBlocks * _columnBlocks);
            var (k0, k1) = Range(_depth, DotTile.Columns, _columnBlocks, columnBlock);
            var (r0, r1) = Range(_g.OutChannelsPerGroup, DotTile.Rows, _rowBlocks, rowBlock);
            for (var n = 0; n < _g.Batch; n++)
            {
                for (var first = 0; first < _grid.Length; first += Chunk)
                {
                    if (_cancellationToken.IsCancellationRequested)
                        return;
                    RunChunk(n, group, k0, k1, r0, r1, first, Math.Min(Chunk, _grid.Length - first), tails, spans);
                }
            }
        }
    }

    private void RunChunk(int n, int group, int k0, int k1, int r0, int r1, int first, int length, T* tails, int* spans)
    {
        var chunk = new LiveChunk(spans, DotTile.LiveSpans<T, V>(_grid, first, length, spans, out var tail), tail, length);
        var x = _input + (long)(n * _g.InChannels + group * _g.InChannelsPerGroup) * _grid.PlaneLength + first;
        var go = _spread + (long)(n * _g.OutChannels + group * _g.OutChannelsPerGroup) * _spreadPitch + first;
        var gw = _gradKernel + (long)group * _g.OutChannelsPerGroup * _depth;
        var pitch = _spreadPitch;
        for (var kb = k0; kb < k1; kb += TapBlock)
        {
            var kbEnd = Math.Min(kb + TapBlock, k1);
            var whole = length / V.Count * V.Count;
            if (whole < length)
                DotTile.PackTails(x, _offsets + kb, kbEnd - kb, whole, length - whole, V.Count, tails);
            var r = r0;
            for (; r + DotTile.Rows <= r1; r += DotTile.Rows)
                Tiles<EightRows>(go, pitch, x, gw, r, kb, kbEnd, chunk, tails);
            if (r + FourRows.Count <= r1)
            {
                Tiles<FourRows>(go, pitch, x, gw, r, kb, kbEnd, chunk, tails);
                r += FourRows.Count;
            }
            Edges(go, pitch, x, gw, r, r1, kb, kbEnd, length);
        }
    }

    /// <summary>Rows r … r + R.Count − 1 against taps kb … kbEnd − 1: whole blocks of three taps, then the edge taps.</summary>
    private void Tiles<R>(T* go, int pitch, T* x, T* gw, int r, int kb, int kbEnd, LiveChunk chunk, T* tails)
        where R : struct, ITileRows
    {
        var k = kb;
        for (; k + DotTile.Columns <= kbEnd; k += DotTile.Columns)
            DotTile.Run<T, V, R>(go + (long)r * pitch, pitch, x, _offsets + k, chunk.Spans, chunk.SpanCount, chunk.Tail, gw + r * _depth + k, _depth, tails + (k - kb) * V.Count);
        Edges(go, pitch, x, gw, r, r + R.Count, k, kbEnd, chunk.Length);
    }

    /// <summary>The (row, tap) pairs outside whole blocks, one dot product each.</summary>
    private void Edges(T* go, int pitch, T* x, T* gw, int r0, int r1, int k0, int k1, int length)
    {
        for (var r = r0; r < r1; r++)
            for (var k = k0; k < k1; k++)
                gw[r * _depth + k] += DotTile.Dot<T, V>(go + (long)r * pitch, x + _offsets[k], length);
    }

    /// <summary>Block <paramref name="block"/> of [0, count) cut at multiples of <paramref name="tile"/> into <paramref name="blocks"/> near-equal blocks.</summary>
    private static (int Start, int End) Range(int count, int tile, int blocks, int block)
    {
        var tiles = (count + tile - 1) / tile;
        var start = (int)((long)tiles * block / blocks) * tile;
        var end = (int)((long)tiles * (block + 1) / blocks) * tile;
        return (start, Math.Min(end, count));
    }

    /// <summary>A chunk's live vector steps (<see cref="DotTile.LiveSpans"/>) and its length.</summary>
    private readonly struct LiveChunk(int* spans, int spanCount, int tail, int length)
    {
        public int* Spans { get; } = spans;

        public int SpanCount { get; } = spanCount;

        public int Tail { get; } = tail;

        public int Length { get; } = length;
    }
}
