using System.Buffers;
using System.Numerics;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// The convolution GEMMs over <see cref="PixelGrid"/>'s pixels: virtual pixels with B read in place, or (dense) the
/// outputs themselves with B gathered or read in place. Work is split into tasks of (image-group, pixel block, row block)
/// that workers claim, each its own share first (<see cref="TaskShares"/>); inside a task the loops run depth blocks,
/// then micro-panels of pixels (held in L1), then row panels of A (held in L2). The last panel of a row of pixels is as many vectors wide as it needs. A col2im
/// destination is shared by neighbouring pixel blocks (or row blocks, when an image is one pixel block), so those run in
/// two phases, even blocks then odd, with blocks longer than the overlap.
/// </summary>
internal sealed unsafe class VirtualGemm<T, V>
    where T : unmanaged, IFloatingPointIeee754<T>
    where V : struct, ISimd<V, T>
{
    private static readonly int PanelWidth = GemmTile.Vectors * V.Count;

    /// <summary>512-bit vectors (AVX-512), where the depth and prefetch choices below were measured on Zen 5; else AVX2's 256.</summary>
    private static readonly bool Wide = V.Count * sizeof(T) == 64;

    /// <summary>Rows per micro-kernel call: a whole panel, or half of one on AVX2 (<see cref="GemmTile.RowsPerTile{T, V}"/>).</summary>
    private static readonly int TileRows = GemmTile.RowsPerTile<T, V>();

    /// <summary>
    /// Depth indices per block. With 512-bit vectors a B panel is then 128 × 3 vectors, 24 KiB in L1 whatever the element
    /// type. (It was 512 bytes' worth, so float64 ran twice as many depth blocks, each loading and storing C's tile once
    /// more; 256 slowed float64 S3 on Zen 5.) With AVX2's 256-bit vectors, 192 × 3 (18 KiB of Zen 3's 32 KiB L1): half
    /// as many C loads and stores and tile calls again as at 128, which ran float32 S1–S3 and S6 forward 1.01–1.07× and
    /// S4, S5, S7 0.96–1.03× (scripts/ab-pass.sh, two rounds each); 256 × 3 (24 KiB) slowed S5 and S3's data gradient.
    /// </summary>
    private static readonly int Depth = Wide ? 128 : 192;

    /// <summary>Depth indices per block, at most, where B is read in place with 512-bit vectors (<see cref="InPlaceDepth"/>).</summary>
    private const int MaxInPlaceDepth = 1024;

    /// <summary>
    /// Runs of B a depth block of the forward pass may read on AVX2, where B is read in place: taps whose offsets lie
    /// within a vector of each other read one run of B's lines. S2, S3 and S6 (3 × 3 and 3³ kernels at stride
    /// 1) read 64 runs in 192 taps; S5's stride phases split each kernel row, 6 runs per 9 taps, and its float32 forward
    /// pass ran 1.03–1.08× with blocks of 96 taps (64 runs) against 192 (scripts/ab-pass.sh forward, fastest of each;
    /// float64 0.99–1.04×), while S1–S3, S6 and S7 ran as fast or slower at 96 or 128 than at 192.
    /// </summary>
    private const int RunsPerBlock = 64;

    /// <summary>
    /// Bytes of C a task holds at once: half of Zen 5's 1 MiB L2, beside the B panels and A's row panels. Each further
    /// block of rows reads (or gathers) the B panels again, so no smaller than the forward pass's C usually is.
    /// </summary>
    private const int BlockBytes = 512 << 10;

    /// <summary>
    /// Whether the forward pass prefetches the next panel's B (<see cref="PrefetchNext"/>): with 512-bit vectors, where it
    /// measured its worth on Zen 5 (S7's B loads had taken a quarter of the tile samples), not with AVX2's 256-bit ones,
    /// where Zen 3's own prefetchers keep up and the prefetches cost S1–S7 1.02–1.10× (scripts/ab-pass.sh forward).
    /// </summary>
    private static readonly bool PrefetchesPanels = Wide;

    /// <summary>Pixel panels a task computes at once, and a plain (not col2im) task's pixel block.</summary>
    private const int PanelsPerSubBlock = 16;
    private readonly GemmOperands<T> _op;
    private readonly PixelGrid _grid;
    private readonly int _pixels, _groups, _panels, _pixelPanels, _panelsPerBlock, _pixelBlocks, _rowBlocks, _workers;

    /// <summary>Depth indices per block: <see cref="Depth"/>, or fewer where B's runs would not stay in L1 (<see cref="RunsPerBlock"/>).</summary>
    private readonly int _depth;
    // How far apart output planes lie: the grid's outputs, or more (GemmOperands.OutputPlane).
    private readonly long _outputPlane;
    private readonly CancellationToken _cancellationToken;

    /// <summary>Every vector of dense pixels lies within one row of outputs (<see cref="PixelGrid.RowsHoldVectors"/>).</summary>
    private readonly bool _vectorRows;

    /// <summary>B is read in place: over virtual pixels, or over outputs whose rows hold whole vectors; else from packed panels.</summary>
    private readonly bool _inPlace;

    /// <summary>
    /// The last depth block's tiles write the output themselves (<see cref="OutputStore{T, V}"/>), not C's block: where
    /// masked stores are cheap (<see cref="ISimd{TSelf, T}.CheapMaskedStores"/>). On Zen 3's AVX2 the block and its copy
    /// were faster: S4 forward 1.02–1.61×, S6 1.00–1.29×.
    /// </summary>
    private readonly bool _direct;
    private int _phase;
    private TaskShares? _shares;

    /// <summary>Each worker's C block and packed B panel while a phase runs (<see cref="BlockShape"/>).</summary>
    private WorkerScratch<T> _blocks;

    /// <summary>
    /// The spans of B each depth block's taps read from a panel's base (<see cref="PanelPrefetch.Spans"/>): block b's
    /// pairs are <c>_prefetchSpans[_prefetchStarts[b] … _prefetchStarts[b + 1])</c>; null where nothing is prefetched.
    /// </summary>
    private int[]? _prefetchSpans, _prefetchStarts;

    /// <summary>
    /// Every panel's output lanes where tiles write the output and several image-groups share the grid (S4: 32 images of
    /// 18 panels): worked out once per call (<see cref="PlanLanes"/>) rather than once per panel of every image, which
    /// walks the grid's rows with a division or two per axis; null where they are worked out as each panel runs.
    /// </summary>
    private int[]? _laneOffsets;
    private T[]? _laneMasks;

    /// <summary>Panels, at most, whose lanes <see cref="PlanLanes"/> works out beforehand: 1.6 MB of masks with 512-bit vectors.</summary>
    private const int MaxPlannedPanels = 4096;

    /// <summary><paramref name="overlap"/>: how far past its virtual pixel a pixel's col2im writes; 0 for plain output.</summary>
    public VirtualGemm(GemmOperands<T> op, PixelGrid grid, int imageGroups, int groups, int overlap, long multiplyAdds, CancellationToken cancellationToken)
    {
        (_op, _grid, _groups, _cancellationToken) = (op, grid, groups, cancellationToken);
        _workers = ParallelSplit.Workers(multiplyAdds);
        _pixels = op.Dense ? grid.Outputs : grid.Length;
        _outputPlane = op.OutputPlane > 0 ? op.OutputPlane : grid.Outputs;
        _vectorRows = grid.RowsHoldVectors(V.Count);
        _direct = V.CheapMaskedStores && op.Scatter == null && TileLanes<T, V>.Fit(grid, op.Dense);
        _panels = WeightPanels.PerGroup(op.Rows);
        _pixelPanels = (_pixels + PanelWidth - 1) / PanelWidth;
        (_panelsPerBlock, _pixelBlocks, _rowBlocks) = Cut(_pixelPanels, _panels, imageGroups, _workers, overlap, op.Scatter == null ? 0 : op.RowsPerChannel);
        Tasks = imageGroups * _pixelBlocks * _rowBlocks;
        _inPlace = op.Scatter == null && (!op.Gather || _vectorRows);
        _depth = !_inPlace ? Depth : Wide ? InPlaceDepth(op.Depth) : DepthReading(op.Offsets, op.Depth);
    }

    /// <summary>
    /// The depth block where B is read in place with 512-bit vectors (virtual pixels, or dense rows of outputs each one
    /// run of an input row; a GEMM's last, partial panel is still packed): the whole depth, or equal blocks of at most
    /// <see cref="MaxInPlaceDepth"/>. A panel's vectors read the same input rows a kernel row or a few columns apart, so
    /// even the whole depth touches few lines (S6: 16 channels × 3 planes × 5 rows of 72 bytes, 17 KiB, for all 432
    /// taps), while every further block loads and stores C's tile once more. On Zen 5, whole against blocks of 128:
    /// over dense rows (fastest runs, two rounds, `--pass SHAPE forward 2`) float32 S1 (147 taps) 1.09–1.11×, S6 (432)
    /// 1.01–1.10×, float64 S1 1.06–1.11×, S2 (576) 1.09–1.11×, S6 1.07–1.09×, S5 (576, its stride phases) 0.97–1.00×;
    /// over virtual pixels (float32 forward, medians, three rounds by turns) S2 (576) 1.06–1.17×, S7 (320)
    /// 1.07–1.10×, S5 0.92–1.09×, S3 (2,304) 0.99–1.03×, S4 (25) 1.02×, and the backward passes, whose full convolutions
    /// read gradOutput in place, S2 0.99–1.03×, S3 1.01–1.04×, S7 1.03×.
    /// </summary>
    private static int InPlaceDepth(int depth)
    {
        var blocks = (depth + MaxInPlaceDepth - 1) / MaxInPlaceDepth;
        return (depth + blocks - 1) / blocks;
    }

    /// <summary>
    /// The depth block whose taps read at most <see cref="RunsPerBlock"/> runs of B in place (on average over the whole
    /// depth: taps within a vector of each other share a run), in whole multiples of 16, at most <see cref="Depth"/>.
    /// </summary>
    private static int DepthReading(int* offsets, int depth)
    {
        var sorted = ArrayPool<int>.Shared.Rent(depth);
        try
        {
            new ReadOnlySpan<int>(offsets, depth).CopyTo(sorted);
            Array.Sort(sorted, 0, depth);
            var runs = 1;
            for (var k = 1; k < depth; k++)
            {
                if (sorted[k] - sorted[k - 1] > V.Count)
                    runs++;
            }
            var taps = (long)RunsPerBlock * depth / runs;
            return (int)Math.Clamp(taps / 16 * 16, 16, Depth);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(sorted);
        }
    }

    private int Tasks { get; }

    /// <summary>
    /// Whether computing over the outputs beats computing over virtual pixels for a GEMM of <paramref name="rows"/> rows
    /// per image-group: fewer pixel vectors, against moving B or C through the grid, counted in FMAs per vector of pixels
    /// (a load and a store take about a cycle: two FMAs). <paramref name="gather"/>: B is gathered (the forward pass),
    /// once per task that reads it; otherwise C is scattered through the grid (col2im) instead of added in place.
    /// </summary>
    public static bool PrefersDense(PixelGrid grid, int rows, int imageGroups, long multiplyAdds, bool gather)
    {
        var panels = WeightPanels.PerGroup(rows);
        var narrow = grid.Columns < V.Count + grid.ColumnStep - 1;
        int extra;
        if (gather)
        {
            // Whole vectors per row: read in place. Step 1: per run of a row and tap, a call (about 8 FMAs' time)
            // and a copy per vector it covers (2), spread over the run's vectors: S4's 28-wide rows cost 6, which
            // keeps it on virtual pixels (0.2× their speed when gathered at the 3 this once counted). Step 2: two
            // loads and a shuffle per vector; else element by element.
            var perVector = grid.RowsHoldVectors(V.Count) ? 0 : grid.ColumnStep switch
            {
                1 => (8 + 2 * ((grid.Columns + V.Count - 1) / V.Count)) * V.Count / grid.Columns,
                2 when !narrow => 6,
                _ => 2 * V.Count,
            };
            var pixelPanels = (grid.Outputs + PanelWidth - 1) / PanelWidth;
            extra = perVector * Cut(pixelPanels, panels, imageGroups, ParallelSplit.Workers(multiplyAdds), 0, 0).RowBlocks;
        }
        else
        {
            // In place, col2im adds whole vectors either way, except along runs narrower than a vector or strided.
            extra = grid.ColumnStep == 1 && !narrow ? 0 : 2 * V.Count;
        }
        var tileRows = panels * GemmTile.Rows;
        return Vectors(grid.Outputs) * (tileRows + extra) < Vectors(grid.Length) * tileRows;

        static long Vectors(int pixels) => (pixels + V.Count - 1) / V.Count;
    }

    /// <summary>
    /// How the work is cut into tasks: pixel blocks of up to <see cref="PanelsPerSubBlock"/> panels (or wide enough to
    /// clear a col2im overlap), and when image-groups × pixel blocks leave a worker fewer than four tasks, row blocks too,
    /// so that one worker held up by the machine's other work does not hold up the call.
    /// </summary>
    private static (int PanelsPerBlock, int PixelBlocks, int RowBlocks) Cut(int pixelPanels, int panels, int imageGroups, int workers, int overlap, int rowsPerChannel)
    {
        // Dense pixels p and p + n are at least n/2 − 1 virtual pixels apart, so 2·overlap + 2 of them clear the overlap too.
        var panelsPerBlock = overlap == 0 ? PanelsPerSubBlock : Math.Max(PanelsPerSubBlock, 2 * ((overlap + PanelWidth - 1) / PanelWidth) + 2);
        var pixelBlocks = (pixelPanels + panelsPerBlock - 1) / panelsPerBlock;
        var (wanted, have) = (4 * workers, imageGroups * pixelBlocks);
        if (workers == 1 || have >= wanted)
            return (panelsPerBlock, pixelBlocks, 1);
        // col2im row blocks may share a channel only with their neighbours: at least one channel's rows each.
        var limit = rowsPerChannel == 0 ? panels : pixelBlocks == 1 ? panels / ((rowsPerChannel + GemmTile.Rows - 1) / GemmTile.Rows) : 1;
        return (panelsPerBlock, pixelBlocks, Math.Max(1, Math.Min(limit, (wanted + have - 1) / have)));
    }

    public void Run()
    {
        var prefetches = PrefetchesPanels && _inPlace;
        if (prefetches)
            PlanPrefetches();
        // Planned lanes assume whole panels but the last (Panel: eight-row tiles).
        if (_direct && TileRows == EightRows.Count && Tasks > _pixelBlocks * _rowBlocks && _pixelPanels <= MaxPlannedPanels)
            PlanLanes();
        try
        {
            var phases = _op.Scatter == null ? 1 : 2;
            for (_phase = 0; _phase < phases; _phase++)
            {
                var workers = Math.Min(_workers, Tasks);
                _shares = new TaskShares(Tasks, workers);
                var (rows, columns, depth) = BlockShape();
                using var blocks = new WorkerScratch<T>(workers, rows * columns + depth * PanelWidth + CacheLine.Slack<T>());
                _blocks = blocks;
                ParallelSplit.Run(workers, RunWorker);
            }
        }
        finally
        {
            if (prefetches)
            {
                ArrayPool<int>.Shared.Return(_prefetchSpans!);
                ArrayPool<int>.Shared.Return(_prefetchStarts!);
            }
            if (_laneMasks != null)
            {
                ArrayPool<int>.Shared.Return(_laneOffsets!);
                ArrayPool<T>.Shared.Return(_laneMasks);
                (_laneOffsets, _laneMasks) = (null, null);
            }
        }
    }

    /// <summary>
    /// Each panel's output lanes, for every image-group alike: a panel starts at a multiple of <see cref="PanelWidth"/>
    /// and only the last one is cut short, by the pixels' end, as any task's end cuts it.
    /// </summary>
    private void PlanLanes()
    {
        var (offsets, masks) = (ArrayPool<int>.Shared.Rent(_pixelPanels * TileLanes<T, V>.OffsetLength), ArrayPool<T>.Shared.Rent(_pixelPanels * TileLanes<T, V>.MaskLength));
        fixed (int* o = offsets)
        fixed (T* m = masks)
        {
            for (var panel = 0; panel < _pixelPanels; panel++)
            {
                var j = panel * PanelWidth;
                var vectors = (Math.Min(PanelWidth, _pixels - j) + V.Count - 1) / V.Count;
                new TileLanes<T, V>(o + panel * TileLanes<T, V>.OffsetLength, m + panel * TileLanes<T, V>.MaskLength).Set(_grid, _op.Dense, j, vectors, _pixels);
            }
        }
        (_laneOffsets, _laneMasks) = (offsets, masks);
    }

    /// <summary>
    /// Each depth block's spans of B, from one base: a vector's width where each vector of a panel has its own (dense
    /// rows), else the panel's three vectors side by side.
    /// </summary>
    private void PlanPrefetches()
    {
        var blocks = (_op.Depth + _depth - 1) / _depth;
        var width = _op.Gather ? V.Count : PanelWidth;
        var (spans, starts) = (ArrayPool<int>.Shared.Rent(2 * _op.Depth), ArrayPool<int>.Shared.Rent(blocks + 1));
        var offsets = new ReadOnlySpan<int>(_op.Offsets, _op.Depth);
        starts[0] = 0;
        for (var block = 0; block < blocks; block++)
        {
            var k0 = block * _depth;
            var taps = offsets.Slice(k0, Math.Min(_depth, _op.Depth - k0));
            starts[block + 1] = starts[block] + 2 * PanelPrefetch.Spans(taps, width, spans.AsSpan(starts[block]));
        }
        (_prefetchSpans, _prefetchStarts) = (spans, starts);
    }

    /// <summary>
    /// A worker's C block and the packed B panel after it on whole cache lines (see CacheLine): a depth block of B, which
    /// InPlaceDepth can make deeper than Depth where only the last, partial panel is packed.
    /// </summary>
    private (int Rows, int Columns, int Depth) BlockShape()
    {
        var columns = Math.Min(PanelsPerSubBlock, _pixelPanels) * PanelWidth;
        var rows = Math.Min(PanelsAtOnce(columns), (_panels + _rowBlocks - 1) / _rowBlocks) * GemmTile.Rows;
        return (rows, columns, Math.Max(Depth, _depth));
    }

    private void RunWorker(int worker)
    {
        var (rows, columns, depth) = BlockShape();
        var block = _blocks[worker];
        var panelOffsets = ArrayPool<int>.Shared.Rent(depth);
        var runs = ArrayPool<int>.Shared.Rent(PixelRuns.Capacity(columns));
        try
        {
            for (var k = 0; k < depth; k++)
                panelOffsets[k] = k * PanelWidth;
            var laneOffsets = stackalloc int[TileLanes<T, V>.OffsetLength];
            var laneMasks = stackalloc T[TileLanes<T, V>.MaskLength];
            var lanes = new TileLanes<T, V>(laneOffsets, laneMasks);
            fixed (T* rented = block, plannedMasks = _laneMasks)
            fixed (int* panel = panelOffsets, outputRuns = runs, plannedOffsets = _laneOffsets)
            {
                var scratch = CacheLine.Align(rented);
                var share = 0;
                while (_shares!.TryClaim(worker, ref share, out var task))
                {
                    if (_cancellationToken.IsCancellationRequested)
                        return;
                    var pixelBlock = task / _rowBlocks % _pixelBlocks;
                    var rowBlock = task % _rowBlocks;
                    if (_op.Scatter == null || (_pixelBlocks > 1 ? pixelBlock : rowBlock) % 2 == _phase)
                        RunTask(task / (_rowBlocks * _pixelBlocks), pixelBlock, rowBlock, new Scratch(scratch, columns, scratch + rows * columns, panel, outputRuns, lanes, plannedOffsets, plannedMasks));
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(runs);
            ArrayPool<int>.Shared.Return(panelOffsets);
        }
    }

    /// <summary>Row panels whose C block of <paramref name="columns"/> pixels fits <see cref="BlockBytes"/>.</summary>
    private static int PanelsAtOnce(int columns) => Math.Max(1, BlockBytes / (columns * sizeof(T) * GemmTile.Rows));

    /// <summary>
    /// The task's pixels a sub-block at a time (a col2im block can be far wider, to clear its overlap), and within one
    /// the rows a C block at a time, in order: so a cell's col2im sums keep their order whenever the block is one
    /// sub-block wide, as every block of a small problem is.
    /// </summary>
    private void RunTask(int imageGroup, int pixelBlock, int rowBlock, Scratch scratch)
    {
        var pitch = scratch.Pitch;
        var first = Split(_pixelPanels, _pixelBlocks, pixelBlock) * PanelWidth;
        var end = Math.Min(_pixels, Split(_pixelPanels, _pixelBlocks, pixelBlock + 1) * PanelWidth);
        var (start, stop) = (Split(_panels, _rowBlocks, rowBlock), Split(_panels, _rowBlocks, rowBlock + 1));
        var rowPanels = PanelsAtOnce(pitch);
        for (var sub = first; sub < end; sub += pitch)
        {
            for (var panel0 = start; panel0 < stop; panel0 += rowPanels)
                RunPanels(imageGroup, sub, Math.Min(end, sub + pitch), panel0, Math.Min(stop, panel0 + rowPanels), scratch);
        }
    }

    private void RunPanels(int imageGroup, int first, int end, int panel0, int panel1, Scratch scratch)
    {
        T* block = scratch.Block, panel = scratch.Panel;
        var pitch = scratch.Pitch;
        int* panelOffsets = scratch.PanelOffsets;
        var x = _op.B + imageGroup * _op.BStride;
        var a = _op.A + (long)(imageGroup % _groups) * _panels * _op.Depth * GemmTile.Rows;
        // The group's A starts at the same offset in every layout (Rows fill whole panels when A is read in place).
        var (lead, strided) = _op.ALayout switch
        {
            WeightLayout.RowMajor => ((nint)_op.Depth, true),
            WeightLayout.ColumnMajor => ((nint)_op.Rows, false),
            _ => ((nint)GemmTile.Rows, false),
        };
        for (var k0 = 0; k0 < _op.Depth; k0 += _depth)
        {
            var depth = Math.Min(_depth, _op.Depth - k0);
            var direct = _direct && k0 + depth == _op.Depth;
            for (int j = first, count; j < end; j += count)
            {
                count = Panel(j, end);
                var vectors = (count + V.Count - 1) / V.Count;
                T* b = x + j;
                T* b1 = b + V.Count, b2 = b + 2 * V.Count;
                int* offsets = _op.Offsets + k0;
                if (_op.Gather && _vectorRows)
                {
                    // Each vector of outputs is a run of one row: read where it lies, no panel packed.
                    b = x + _grid.VirtualPixel(j);
                    b1 = vectors > 1 ? x + _grid.VirtualPixel(j + V.Count) : b;
                    b2 = vectors > 2 ? x + _grid.VirtualPixel(j + 2 * V.Count) : b;
                }
                else if (_op.Gather || count < vectors * V.Count)
                {
                    if (_op.Gather)
                        PanelGather.Pack<T, V>(x, offsets, depth, _grid, j, count, PanelWidth, panel, _op.BEnd);
                    else
                        TailPanel.Pack<T, V>(b, offsets, depth, count, PanelWidth, panel);
                    b = panel;
                    b1 = panel + V.Count;
                    b2 = panel + 2 * V.Count;
                    offsets = panelOffsets;
                }
                var lanes = scratch.Lanes;
                if (direct && scratch.PlannedMasks != null)
                    lanes = new TileLanes<T, V>(scratch.PlannedOffsets + j / PanelWidth * TileLanes<T, V>.OffsetLength, scratch.PlannedMasks + j / PanelWidth * TileLanes<T, V>.MaskLength);
                else if (direct)
                    lanes.Set(_grid, _op.Dense, j, vectors, end);
                PrefetchNext(x, j + count, end, k0 / _depth);
                for (var p = panel0; p < panel1; p++)
                {
                    var rows = Math.Min(GemmTile.Rows, _op.Rows - p * GemmTile.Rows);
                    // Panel p's depth block k0: rows p·Rows on, depth k0 on.
                    var ap = _op.ALayout switch
                    {
                        WeightLayout.RowMajor => a + (long)p * GemmTile.Rows * _op.Depth + k0,
                        WeightLayout.ColumnMajor => a + (long)p * GemmTile.Rows + (long)k0 * _op.Rows,
                        _ => a + ((long)p * _op.Depth + k0) * GemmTile.Rows,
                    };
                    // A panel is one tile, or two of four rows each where the registers hold no more (RowsPerTile).
                    for (var h = 0; h < rows; h += TileRows)
                    {
                        var c = block + ((p - panel0) * GemmTile.Rows + h) * pitch + (j - first);
                        var ah = ap + (strided ? h * lead : h);
                        var row = p * GemmTile.Rows + h;
                        if (direct)
                        {
                            var plane = (long)imageGroup * _op.Rows + row;
                            var bias = _op.Bias == null ? null : _op.Bias + imageGroup % _groups * _op.Rows + row;
                            var output = new OutputStore<T, V>(_op.Destination + plane * _outputPlane, _outputPlane, rows - h, bias, lanes);
                            Tile(rows - h, vectors, ah, lead, strided, b, b1, b2, offsets, depth, c, pitch, k0 > 0, ref output);
                        }
                        else
                        {
                            var into = new BlockStore<T, V>(c, pitch);
                            Tile(rows - h, vectors, ah, lead, strided, b, b1, b2, offsets, depth, c, pitch, k0 > 0, ref into);
                        }
                    }
                }
            }
        }
        if (_direct)
            return;
        var rowsEnd = Math.Min(panel1 * GemmTile.Rows, _op.Rows);
        var runs = _op.Dense ? PixelRuns.Dense(_grid, first, end, scratch.Runs) : PixelRuns.Virtual(_grid, first, end, scratch.Runs);
        for (var r = panel0 * GemmTile.Rows; r < rowsEnd; r++)
            Store(imageGroup, r, block + (r - panel0 * GemmTile.Rows) * pitch, first, end, scratch.Runs, runs);
    }

    /// <summary>
    /// Pixels in the panel at <paramref name="j"/>: <see cref="PanelWidth"/>, fewer at the end. With four-row tiles (AVX2)
    /// the last four vectors go as two and two, not three and one: a one-vector tile has four accumulator chains, too few
    /// to keep both FMA pipes busy through the FMA's latency (S3's 28 vectors a row block: 5% of its forward samples in
    /// the one-vector tile for 4% of its pixels). Every element's chain of FMAs is the same whichever tile computes it.
    /// </summary>
    private static int Panel(int j, int end)
    {
        var left = end - j;
        return TileRows < EightRows.Count && left > PanelWidth && left <= PanelWidth + V.Count ? 2 * V.Count : Math.Min(PanelWidth, left);
    }

    /// <summary>
    /// The micro-kernel for a panel of <paramref name="rows"/> real rows and <paramref name="vectors"/> vectors of pixels,
    /// A's rows <paramref name="lead"/> apart (<paramref name="strided"/>) or its depth steps <paramref name="lead"/> apart.
    /// </summary>
    private static void Tile<S>(int rows, int vectors, T* a, nint lead, bool strided, T* b0, T* b1, T* b2, int* offsets, int depth, T* c, int pitch, bool accumulate, ref S store)
        where S : struct, ITileStore<T, V>
    {
        var eight = rows > FourRows.Count && TileRows == EightRows.Count;
        if (strided && eight)
            Tile<EightRows, S, StridedRows>(vectors, a, lead, b0, b1, b2, offsets, depth, c, pitch, accumulate, ref store);
        else if (strided)
            Tile<FourRows, S, StridedRows>(vectors, a, lead, b0, b1, b2, offsets, depth, c, pitch, accumulate, ref store);
        else if (eight)
            Tile<EightRows, S, PackedRows>(vectors, a, lead, b0, b1, b2, offsets, depth, c, pitch, accumulate, ref store);
        else
            Tile<FourRows, S, PackedRows>(vectors, a, lead, b0, b1, b2, offsets, depth, c, pitch, accumulate, ref store);
    }

    private static void Tile<R, S, L>(int vectors, T* a, nint lead, T* b0, T* b1, T* b2, int* offsets, int depth, T* c, int pitch, bool accumulate, ref S store)
        where R : struct, ITileRows
        where S : struct, ITileStore<T, V>
        where L : struct, IRowLayout
    {
        if (vectors == 3)
            GemmTile.Run<T, V, R, ThreeVectors, S, L>(a, lead, b0, b1, b2, offsets, depth, c, pitch, accumulate, ref store);
        else if (vectors == 2)
            GemmTile.Run<T, V, R, TwoVectors, S, L>(a, lead, b0, b1, b2, offsets, depth, c, pitch, accumulate, ref store);
        else
            GemmTile.Run<T, V, R, OneVector, S, L>(a, lead, b0, b1, b2, offsets, depth, c, pitch, accumulate, ref store);
    }

    /// <summary>
    /// The forward pass's B of the panel at <paramref name="j"/>, so that it is in L1 when that panel's first tile runs:
    /// where it is read in place, or packed from a contiguous run of pixels (not where it is gathered element by element).
    /// The forward pass only: the input gradient's B rows are whole planes of gradOutput, which the hardware follows
    /// (prefetching them measured 0.93–1.04× on S2, S3, S5, S6, S7).
    /// </summary>
    private void PrefetchNext(T* x, int j, int end, int block)
    {
        if (_prefetchSpans == null || j >= end)
            return;
        var spans = _prefetchSpans.AsSpan(_prefetchStarts![block], _prefetchStarts[block + 1] - _prefetchStarts[block]);
        if (!_op.Gather)
        {
            PanelPrefetch.Lines(x + j, spans);
            return;
        }
        var vectors = (Math.Min(PanelWidth, end - j) + V.Count - 1) / V.Count;
        PanelPrefetch.Lines(x + _grid.VirtualPixel(j), spans);
        if (vectors > 1)
            PanelPrefetch.Lines(x + _grid.VirtualPixel(j + V.Count), spans);
        if (vectors > 2)
            PanelPrefetch.Lines(x + _grid.VirtualPixel(j + 2 * V.Count), spans);
    }

    private void Store(int imageGroup, int r, T* row, int first, int end, int* runs, int runCount)
    {
        if (_op.Scatter != null)
        {
            var destination = _op.Destination + imageGroup * _op.DestinationStride + _op.Scatter[r];
            if (_op.Dense)
                OutputRows.AddThrough<T, V>(row, runs, runCount, _grid.ColumnStep, destination);
            else
                OutputRows.AddTo<T, V>(row, destination + first, end - first);
            return;
        }
        var plane = (long)imageGroup * _op.Rows + r;
        var bias = _op.Bias == null ? T.Zero : _op.Bias[plane % (_groups * _op.Rows)];
        var output = _op.Destination + plane * _outputPlane;
        if (_op.Dense)
            OutputRows.WriteDense<T, V>(row, output + first, end - first, bias);
        else
            OutputRows.Write<T, V>(row, runs, runCount, _grid.ColumnStep, bias, output);
    }

    /// <summary>The start of part <paramref name="part"/> when <paramref name="count"/> items are cut into <paramref name="parts"/> near-equal parts.</summary>
    private static int Split(int count, int parts, int part) => (int)((long)count * part / parts);

    /// <summary>
    /// A worker's buffers: C's block (row pitch <see cref="Pitch"/>), a packed B panel, the block's output runs, and a
    /// panel's output lanes; and every panel's lanes where they were worked out beforehand (<see cref="PlanLanes"/>), else null.
    /// </summary>
    private readonly struct Scratch(T* block, int pitch, T* panel, int* panelOffsets, int* runs, TileLanes<T, V> lanes, int* plannedOffsets, T* plannedMasks)
    {
        public TileLanes<T, V> Lanes { get; } = lanes;

        public int* PlannedOffsets { get; } = plannedOffsets;

        public T* PlannedMasks { get; } = plannedMasks;

        public T* Block { get; } = block;

        public int Pitch { get; } = pitch;

        public T* Panel { get; } = panel;

        public int* PanelOffsets { get; } = panelOffsets;

        public int* Runs { get; } = runs;
    }
}
