using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// Tasks of (group, block of K, block of output channels), each summing over every image and pixel, so no two tasks
/// write the same gradient element. Pixels go in chunks: a task spreads its gradOutput rows of the chunk into its own
/// buffer (so they are read from memory once and used from L1), then eight of those rows stay in L1 while every im2col
/// row streams past them from L2 (three neighbouring taps share their cache lines). Each chunk's live vector steps and
/// runs of outputs are worked out once for every task and image.
/// </summary>
internal sealed unsafe class KernelGradientJob<T, V>
    where T : unmanaged, IFloatingPointIeee754<T>
    where V : struct, ISimd<V, T>
{
    /// <summary>
    /// Pixels per chunk: 64 vectors with AVX-512's (1,024 float32), 128 with AVX2's (the same 1,024 float32): each
    /// <see cref="DotTile"/> call then ended in twelve separate sums across lanes, and on Zen 3 chunks of 128 vectors ran the kernel
    /// gradients of float32 S1, S2 and S4–S7 1.00–1.22× and float64 S2, S5, S7 1.00–1.28× against 64 (scripts/ab-pass.sh
    /// kernel, fastest of each, in a noisy hour), while 256 was no better than 128. The sums' order follows
    /// the chunks, so AVX-512's, which the regression replay holds bit for bit, stays.
    /// </summary>
    private static readonly int Chunk = (V.Count * sizeof(T) == 64 ? 64 : 128) * V.Count;

    /// <summary>A spread row's pitch: one vector more than a chunk, so that eight rows do not share L1 sets (4 KiB apart).</summary>
    private static readonly int Pitch = Chunk + V.Count;

    /// <summary>im2col rows per pass over an L1-resident gradOutput tile: as many as keep their chunk in half of L2.</summary>
    private static readonly int TapBlock = (512 << 10) / (Chunk * sizeof(T)) / DotTile.Columns * DotTile.Columns;

    /// <summary>Rows per <see cref="DotTile"/> call: eight, or four where AVX2's 16 registers hold no more (<see cref="GemmTile.RowsPerTile{T, V}"/>).</summary>
    private static readonly int TileRows = GemmTile.RowsPerTile<T, V>();

    private readonly T* _input, _gradOutput, _gradKernel;
    private readonly int* _offsets;
    private readonly ConvGeometry _g;
    private readonly PixelGrid _grid;
    private readonly int _depth, _columnBlocks, _rowBlocks, _taskRows, _chunks;
    private readonly CancellationToken _cancellationToken;
    private TaskShares? _shares;

    /// <summary>
    /// <paramref name="grid"/>: the virtual pixels over <paramref name="input"/>'s channels (<see cref="PixelGrid.PlaneLength"/>
    /// apart), which <paramref name="offsets"/> index: the padded input's own, or its stride phases'.
    /// </summary>
    public KernelGradientJob(ConvGeometry g, PixelGrid grid, T* input, T* gradOutput, int* offsets, T* gradKernel, int workers, CancellationToken cancellationToken)
    {
        (_g, _cancellationToken) = (g, cancellationToken);
        _input = input;
        _gradOutput = gradOutput;
        _offsets = offsets;
        _gradKernel = gradKernel;
        _grid = grid;
        _depth = g.InChannelsPerGroup * g.Windows.KernelCells;
        _chunks = (_grid.Length + Chunk - 1) / Chunk;
        var columnTiles = (_depth + DotTile.Columns - 1) / DotTile.Columns;
        var rowTiles = (g.OutChannelsPerGroup + DotTile.Rows - 1) / DotTile.Rows;
        var inputBytes = (long)g.Batch * g.InChannelsPerGroup * grid.PlaneLength * sizeof(T);
        var gradOutputBytes = (long)g.Batch * g.OutChannelsPerGroup * grid.Outputs * sizeof(T);
        (_rowBlocks, _columnBlocks) = Cut(g.Groups, workers, rowTiles, columnTiles, inputBytes, gradOutputBytes);
        _taskRows = Math.Min(g.OutChannelsPerGroup, (rowTiles + _rowBlocks - 1) / _rowBlocks * DotTile.Rows);
        Tasks = g.Groups * _columnBlocks * _rowBlocks;
    }

    public int Tasks { get; }

    /// <summary>
    /// Row blocks × column blocks per group: as few as give every worker the same number of tasks, cut where the tasks
    /// read the least. Every task reads its column block's channels of the input for each of its rows' blocks, and its
    /// row block's gradOutput for each column block, all images, most of it from L3 or memory when the problem outgrows
    /// L2; it also spreads those gradOutput rows into its own buffer, counted as half a read more:
    /// <paramref name="inputBytes"/> × row blocks + 1.5 × <paramref name="gradOutputBytes"/> × column blocks in all.
    /// Four tasks per worker as 8 × 1 (S2, S7) or 4 × 2 (S4, S6) read the input eight or four times over. Against that,
    /// one task per worker, medians by turns on Zen 5: backward S2 1.07–1.17× as 2 × 1 (1.10–1.12× as 1 × 2), S7
    /// 1.12–1.13× (1.08–1.11×, the spread copied twice); the kernel pass S4 (2 × 1) 1.23–1.34×, S5 (1 × 2) 1.09–1.17×,
    /// S6 (2 × 1) 1.04–1.07×, S1 (2 × 1) 1.00–1.09×. Cuts that read more measured worse: S2 as 2 × 2 1.05–1.08×, S1 as
    /// 1 × 2 0.79–0.85×, S5 as 2 × 1 1.02×.
    /// </summary>
    internal static (int RowBlocks, int ColumnBlocks) Cut(int groups, int workers, int rowTiles, int columnTiles, long inputBytes, long gradOutputBytes)
    {
        var blocks = 1;
        while (groups * blocks % workers != 0)
            blocks++;
        var (best, cost) = ((1, 1), long.MaxValue);
        for (var rows = 1; rows <= blocks; rows++)
        {
            var columns = blocks / rows;
            if (blocks % rows != 0 || rows > rowTiles || columns > columnTiles)
                continue;
            var read = rows * inputBytes + columns * gradOutputBytes * 3 / 2;
            if (read < cost)
                (best, cost) = ((rows, columns), read);
        }
        return best;
    }

    /// <summary>Runs the tasks on <paramref name="workers"/> workers, each its own share first (<see cref="TaskShares"/>).</summary>
    public void Run(int workers)
    {
        _shares = new TaskShares(Tasks, workers);
        using var tails = new WorkerScratch<T>(workers, TapBlock * V.Count);
        // Spread rows on whole cache lines: eight of a tile's eleven loads per step come from them (S7 1.17-1.19x).
        using var spread = new WorkerScratch<T>(workers, _taskRows * Pitch + CacheLine.Slack<T>());
        (_tails, _spread) = (tails, spread);
        ParallelSplit.Run(workers, RunWorker);
    }

    /// <summary>Each worker's tails and spread gradOutput rows while <see cref="Run"/> runs.</summary>
    private WorkerScratch<T> _tails, _spread;

    private void RunWorker(int worker)
    {
        // Each row of outputs lies in one chunk or crosses a chunk's end: at most Rows + chunks spans and runs in all.
        var pieces = _grid.Rows + _chunks;
        var (tails, spread) = (_tails[worker], _spread[worker]);
        var tables = ArrayPool<int>.Shared.Rent(2 * pieces + PixelRuns.Stride * pieces + 3 * (_chunks + 1) + 2 * (Chunk / V.Count + 1) + PixelRuns.Capacity(Chunk));
        try
        {
            fixed (T* t = tails, go = spread)
            fixed (int* s = tables)
                RunTasks(worker, t, CacheLine.Align(go), Tables(s, pieces));
        }
        finally
        {
            ArrayPool<int>.Shared.Return(tables);
        }
    }

    /// <summary>Every chunk's live spans (<see cref="DotTile.LiveSpans"/>) and output runs (<see cref="PixelRuns.Virtual"/>).</summary>
    private ChunkTables Tables(int* memory, int pieces)
    {
        var tables = new ChunkTables(memory, memory + 2 * pieces, memory + (2 + PixelRuns.Stride) * pieces, _chunks);
        int* spanScratch = tables.SpanStarts + 3 * (_chunks + 1), runScratch = spanScratch + 2 * (Chunk / V.Count + 1);
        var (spans, runs) = (0, 0);
        for (var c = 0; c < _chunks; c++)
        {
            var first = c * Chunk;
            var length = Math.Min(Chunk, _grid.Length - first);
            var count = DotTile.LiveSpans<T, V>(_grid, first, length, spanScratch, out tables.Tails[c]);
            new Span<int>(spanScratch, 2 * count).CopyTo(new Span<int>(tables.Spans + 2 * spans, 2 * count));
            (tables.SpanStarts[c], spans) = (spans, spans + count);
            count = PixelRuns.Virtual(_grid, first, first + length, runScratch);
            new Span<int>(runScratch, PixelRuns.Stride * count).CopyTo(new Span<int>(tables.Runs + PixelRuns.Stride * runs, PixelRuns.Stride * count));
            (tables.RunStarts[c], runs) = (runs, runs + count);
        }
        (tables.SpanStarts[_chunks], tables.RunStarts[_chunks]) = (spans, runs);
        return tables;
    }

    private void RunTasks(int worker, T* tails, T* spread, ChunkTables tables)
    {
        var share = 0;
        while (_shares!.TryClaim(worker, ref share, out var task))
        {
            var rowBlock = task % _rowBlocks;
            var columnBlock = task / _rowBlocks % _columnBlocks;
            var group = task / (_rowBlocks * _columnBlocks);
            var (k0, k1) = Range(_depth, DotTile.Columns, _columnBlocks, columnBlock);
            var (r0, r1) = Range(_g.OutChannelsPerGroup, DotTile.Rows, _rowBlocks, rowBlock);
            for (var n = 0; n < _g.Batch; n++)
            {
                for (var c = 0; c < _chunks; c++)
                {
                    if (_cancellationToken.IsCancellationRequested)
                        return;
                    RunChunk(n, group, k0, k1, r0, r1, c, tables, tails, spread);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunChunk(int n, int group, int k0, int k1, int r0, int r1, int c, ChunkTables tables, T* tails, T* go)
    {
        var first = c * Chunk;
        var length = Math.Min(Chunk, _grid.Length - first);
        var plane = (long)n * _g.OutChannels + group * _g.OutChannelsPerGroup;
        var runs = tables.Runs + PixelRuns.Stride * tables.RunStarts[c];
        var runCount = tables.RunStarts[c + 1] - tables.RunStarts[c];
        for (var r = r0; r < r1; r++)
            SpreadRow(_gradOutput + (plane + r) * _grid.Outputs, runs, runCount, length, go + (r - r0) * Pitch);

        var chunk = new LiveChunk(tables.Spans + 2 * tables.SpanStarts[c], tables.SpanStarts[c + 1] - tables.SpanStarts[c], tables.Tails[c], length);
        var x = _input + (long)(n * _g.InChannels + group * _g.InChannelsPerGroup) * _grid.PlaneLength + first;
        var gw = _gradKernel + (long)group * _g.OutChannelsPerGroup * _depth;
        for (var kb = k0; kb < k1; kb += TapBlock)
        {
            var kbEnd = Math.Min(kb + TapBlock, k1);
            var whole = length / V.Count * V.Count;
            if (whole < length)
                DotTile.PackTails(x, _offsets + kb, kbEnd - kb, whole, length - whole, V.Count, tails);
            var r = r0;
            // Eight rows at a time where the registers hold 8 × 3 accumulators (GemmTile.RowsPerTile), else four.
            for (; TileRows == EightRows.Count && r + EightRows.Count <= r1; r += EightRows.Count)
                Tiles<EightRows>(go + (r - r0) * Pitch, x, gw, r, kb, kbEnd, chunk, tails);
            for (; r + FourRows.Count <= r1; r += FourRows.Count)
                Tiles<FourRows>(go + (r - r0) * Pitch, x, gw, r, kb, kbEnd, chunk, tails);
            Edges(go + (r - r0) * Pitch, x, gw, r, r1, kb, kbEnd, length);
        }
    }

    /// <summary>
    /// One gradOutput row's share of the chunk laid out over its virtual pixels: zeros, then each run of outputs at its
    /// offset (ColumnStep apart); zeros up to whole vectors, which the tiles read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SpreadRow(T* gradOutput, int* runs, int runCount, int length, T* row)
    {
        var step = _grid.ColumnStep;
        for (var x = 0; x < length; x += V.Count)
            V.Store(V.Zero, row + x);
        for (var run = 0; run < runCount; run++, runs += PixelRuns.Stride)
        {
            T* src = gradOutput + runs[1], dst = row + runs[0];
            var count = runs[2];
            if (step == 1 && count >= V.Count)
            {
                for (var j = 0; j < count - V.Count; j += V.Count)
                    V.Store(V.Load(src + j), dst + j);
                // The last vector ends flush with the run, over a few elements already copied.
                V.Store(V.Load(src + count - V.Count), dst + count - V.Count);
                continue;
            }
            for (var j = 0; j < count; j++)
                dst[j * step] = src[j];
        }
    }

    /// <summary>Rows r … r + R.Count − 1 against taps kb … kbEnd − 1: whole blocks of three taps, then the edge taps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Tiles<R>(T* go, T* x, T* gw, int r, int kb, int kbEnd, LiveChunk chunk, T* tails)
        where R : struct, ITileRows
    {
        var k = kb;
        for (; k + DotTile.Columns <= kbEnd; k += DotTile.Columns)
            DotTile.Run<T, V, R>(go, Pitch, x, _offsets + k, chunk.Spans, chunk.SpanCount, chunk.Tail, gw + r * _depth + k, _depth, tails + (k - kb) * V.Count);
        Edges(go, x, gw, r, r + R.Count, k, kbEnd, chunk.Length);
    }

    /// <summary>The (row, tap) pairs outside whole blocks, one dot product each; <paramref name="go"/> is row r0's.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Edges(T* go, T* x, T* gw, int r0, int r1, int k0, int k1, int length)
    {
        for (var r = r0; r < r1; r++)
            for (var k = k0; k < k1; k++)
                gw[r * _depth + k] += DotTile.Dot<T, V>(go + (r - r0) * Pitch, x + _offsets[k], length);
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

    /// <summary>
    /// Per chunk c: live spans <c>Spans[2·SpanStarts[c] …]</c>, runs <c>Runs[Stride·RunStarts[c] …]</c> (both up to the
    /// next chunk's start), and the partial vector's offset <c>Tails[c]</c>.
    /// </summary>
    private readonly struct ChunkTables(int* spans, int* runs, int* counts, int chunks)
    {
        public int* Spans { get; } = spans;

        public int* Runs { get; } = runs;

        public int* SpanStarts { get; } = counts;

        public int* RunStarts { get; } = counts + chunks + 1;

        public int* Tails { get; } = counts + 2 * (chunks + 1);
    }
}
