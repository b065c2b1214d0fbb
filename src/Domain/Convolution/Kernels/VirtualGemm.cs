using System.Buffers;
using System.Numerics;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// The convolution GEMMs over virtual pixels (<see cref="PixelGrid"/>), B read in place. Work is split into tasks of
/// (image-group, pixel block, row block) that workers claim in turn; inside a task the loops run depth blocks, then
/// micro-panels of pixels (held in L1), then row panels of A (held in L2). A col2im destination is shared by
/// neighbouring pixel blocks (or row blocks, when an image is one pixel block), so those run in two phases, even
/// blocks then odd, with blocks longer than the overlap.
/// </summary>
internal sealed unsafe class VirtualGemm<T, V>
    where T : unmanaged, IFloatingPointIeee754<T>
    where V : struct, ISimd<V, T>
{
    private static readonly int PanelWidth = GemmTile.Vectors * V.Count;
    private static readonly int Depth = 512 / sizeof(T);
    private readonly GemmOperands<T> _op;
    private readonly PixelGrid _grid;
    private readonly int _groups, _panels, _pixelPanels, _panelsPerBlock, _pixelBlocks, _rowBlocks, _workers;
    private readonly CancellationToken _cancellationToken;
    private int _nextTask, _phase;

    /// <summary><paramref name="overlap"/>: how far past its pixels a block's col2im writes; 0 for plain output.</summary>
    public VirtualGemm(GemmOperands<T> op, PixelGrid grid, int imageGroups, int groups, int overlap, long multiplyAdds, CancellationToken cancellationToken)
    {
        (_op, _grid, _groups, _cancellationToken) = (op, grid, groups, cancellationToken);
        _workers = ParallelSplit.Workers(multiplyAdds);
        _panels = WeightPanels.PerGroup(op.Rows);
        _pixelPanels = (grid.Length + PanelWidth - 1) / PanelWidth;
        _panelsPerBlock = overlap == 0 ? 16 : Math.Max(16, 2 * ((overlap + PanelWidth - 1) / PanelWidth) + 2);
        _pixelBlocks = (_pixelPanels + _panelsPerBlock - 1) / _panelsPerBlock;
        _rowBlocks = 1;
        // Several tasks per worker, so that one worker held up (by the machine's other work) does not hold up the call.
        var wanted = 4 * _workers;
        if (_workers > 1 && imageGroups * _pixelBlocks < wanted)
        {
            // col2im row blocks may share a channel only with their neighbours: at least one channel's rows each.
            var limit = op.Scatter == null ? _panels : _pixelBlocks == 1 ? _panels / ((op.RowsPerChannel + GemmTile.Rows - 1) / GemmTile.Rows) : 1;
            _rowBlocks = Math.Max(1, Math.Min(limit, (wanted + imageGroups * _pixelBlocks - 1) / (imageGroups * _pixelBlocks)));
        }
        Tasks = imageGroups * _pixelBlocks * _rowBlocks;
    }

    private int Tasks { get; }

    public void Run()
    {
        var phases = _op.Scatter == null ? 1 : 2;
        for (_phase = 0; _phase < phases; _phase++)
        {
            _nextTask = -1;
            ParallelSplit.Run(Math.Min(_workers, Tasks), RunWorker);
        }
    }

    private void RunWorker(int worker)
    {
        var rows = (_panels + _rowBlocks - 1) / _rowBlocks * GemmTile.Rows;
        var columns = Math.Min(_panelsPerBlock, _pixelPanels) * PanelWidth;
        var block = TensorPool<T>.Shared.Rent(rows * columns + Depth * PanelWidth);
        var tailOffsets = ArrayPool<int>.Shared.Rent(Depth);
        try
        {
            for (var k = 0; k < Depth; k++)
                tailOffsets[k] = k * PanelWidth;
            fixed (T* scratch = block)
            fixed (int* tail = tailOffsets)
            {
                for (var task = Interlocked.Increment(ref _nextTask); task < Tasks; task = Interlocked.Increment(ref _nextTask))
                {
                    if (_cancellationToken.IsCancellationRequested)
                        return;
                    var pixelBlock = task / _rowBlocks % _pixelBlocks;
                    var rowBlock = task % _rowBlocks;
                    if (_op.Scatter == null || (_pixelBlocks > 1 ? pixelBlock : rowBlock) % 2 == _phase)
                        RunTask(task / (_rowBlocks * _pixelBlocks), pixelBlock, rowBlock, scratch, columns, scratch + rows * columns, tail);
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(tailOffsets);
            TensorPool<T>.Shared.Return(block);
        }
    }

    private void RunTask(int imageGroup, int pixelBlock, int rowBlock, T* block, int pitch, T* tail, int* tailOffsets)
    {
        var first = Split(_pixelPanels, _pixelBlocks, pixelBlock) * PanelWidth;
        var end = Math.Min(_grid.Length, Split(_pixelPanels, _pixelBlocks, pixelBlock + 1) * PanelWidth);
        var (panel0, panel1) = (Split(_panels, _rowBlocks, rowBlock), Split(_panels, _rowBlocks, rowBlock + 1));
        var x = _op.B + imageGroup * _op.BStride;
        var a = _op.A + (long)(imageGroup % _groups) * _panels * _op.Depth * GemmTile.Rows;
        for (var k0 = 0; k0 < _op.Depth; k0 += Depth)
        {
            var depth = Math.Min(Depth, _op.Depth - k0);
            for (var j = first; j < end; j += PanelWidth)
            {
                var b = x + j;
                var offsets = _op.Offsets + k0;
                if (j + PanelWidth > _grid.Length)
                {
                    TailPanel.Pack(b, offsets, depth, _grid.Length - j, PanelWidth, tail);
                    b = tail;
                    offsets = tailOffsets;
                }
                for (var panel = panel0; panel < panel1; panel++)
                {
                    var c = block + (panel - panel0) * GemmTile.Rows * pitch + (j - first);
                    GemmTile.Run<T, V>(a + ((long)panel * _op.Depth + k0) * GemmTile.Rows, b, offsets, depth, c, pitch, k0 > 0);
                }
            }
        }
        var rowsEnd = Math.Min(panel1 * GemmTile.Rows, _op.Rows);
        for (var r = panel0 * GemmTile.Rows; r < rowsEnd; r++)
            Store(imageGroup, r, block + (r - panel0 * GemmTile.Rows) * pitch, first, end);
    }

    private void Store(int imageGroup, int r, T* row, int first, int end)
    {
        if (_op.Scatter != null)
        {
            OutputRows.AddTo<T, V>(row, _op.Destination + imageGroup * _op.DestinationStride + _op.Scatter[r] + first, end - first);
            return;
        }
        var plane = (long)imageGroup * _op.Rows + r;
        var bias = _op.Bias == null ? T.Zero : _op.Bias[plane % (_groups * _op.Rows)];
        OutputRows.Write<T, V>(row, first, end, _grid, bias, _op.Destination + plane * _grid.Outputs);
    }

    /// <summary>The start of part <paramref name="part"/> when <paramref name="count"/> items are cut into <paramref name="parts"/> near-equal parts.</summary>
    private static int Split(int count, int parts, int part) => (int)((long)count * part / parts);
}
