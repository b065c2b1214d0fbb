using System.Buffers;
using System.Numerics;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// The forward convolution as an implicit GEMM per image and group, <c>Y[Cout/g × pixels] = W[Cout/g × K] · X̂[K × pixels]</c>,
/// reading X̂ (im2col) in place through <see cref="PixelGrid"/>. Work is split into tasks of (image, group, pixel
/// block, row block) that workers claim in turn; inside a task the loops run K blocks, then micro-panels of pixels
/// (held in L1), then row panels of the packed kernel (held in L2).
/// </summary>
internal sealed unsafe class ForwardGemm<T, V>
    where T : unmanaged, IFloatingPointIeee754<T>
    where V : struct, ISimd<V, T>
{
    private static readonly int PanelWidth = GemmTile.Vectors * V.Count;
    private static readonly int Depth = 1024 / sizeof(T);
    private const int MaxPanelsPerBlock = 16;

    private readonly T* _input, _weights, _bias, _output;
    private readonly int* _offsets;
    private readonly ConvGeometry _g;
    private readonly PixelGrid _grid;
    private readonly int _depth, _panels, _pixelPanels, _pixelBlocks, _rowBlocks;
    private readonly CancellationToken _cancellationToken;
    private int _nextTask = -1;

    public ForwardGemm(ConvGeometry g, T* input, T* weights, int* offsets, T* bias, T* output, int workers, CancellationToken cancellationToken)
    {
        (_g, _cancellationToken) = (g, cancellationToken);
        _input = input;
        _weights = weights;
        _offsets = offsets;
        _bias = bias;
        _output = output;
        _grid = PixelGrid.Of(g);
        _depth = g.InChannelsPerGroup * g.Axes[0].Kernel * g.Axes[1].Kernel;
        _panels = WeightPanels.PerGroup(g.OutChannelsPerGroup);
        _pixelPanels = (_grid.Length + PanelWidth - 1) / PanelWidth;
        _pixelBlocks = (_pixelPanels + MaxPanelsPerBlock - 1) / MaxPanelsPerBlock;
        _rowBlocks = 1;
        var images = g.Batch * g.Groups;
        if (workers > 1 && images * _pixelBlocks < 2 * workers)
            _rowBlocks = Math.Min(_panels, (2 * workers + images * _pixelBlocks - 1) / (images * _pixelBlocks));
        Tasks = images * _pixelBlocks * _rowBlocks;
    }

    public int Tasks { get; }

    /// <summary>One worker: claims tasks until none is left or cancellation is requested.</summary>
    public void RunWorker(int worker)
    {
        var rows = (_panels + _rowBlocks - 1) / _rowBlocks * GemmTile.Rows;
        var columns = MaxPanelsPerBlock * PanelWidth;
        var block = ArrayPool<T>.Shared.Rent(rows * columns + Depth * PanelWidth);
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
                    RunTask(task, scratch, columns, scratch + rows * columns, tail);
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(tailOffsets);
            ArrayPool<T>.Shared.Return(block);
        }
    }

    private void RunTask(int task, T* block, int pitch, T* tail, int* tailOffsets)
    {
        var rowBlock = task % _rowBlocks;
        var pixelBlock = task / _rowBlocks % _pixelBlocks;
        var image = task / (_rowBlocks * _pixelBlocks);
        var (n, group) = (image / _g.Groups, image % _g.Groups);
        var first = Split(_pixelPanels, _pixelBlocks, pixelBlock) * PanelWidth;
        var end = Math.Min(_grid.Length, Split(_pixelPanels, _pixelBlocks, pixelBlock + 1) * PanelWidth);
        var (panel0, panel1) = (Split(_panels, _rowBlocks, rowBlock), Split(_panels, _rowBlocks, rowBlock + 1));
        var x = _input + (long)(n * _g.InChannels + group * _g.InChannelsPerGroup) * _grid.PlaneLength;
        var a = _weights + (long)group * _panels * _depth * GemmTile.Rows;

        for (var k0 = 0; k0 < _depth; k0 += Depth)
        {
            var depth = Math.Min(Depth, _depth - k0);
            for (var j = first; j < end; j += PanelWidth)
            {
                var b = x + j;
                var offsets = _offsets + k0;
                if (j + PanelWidth > _grid.Length)
                {
                    TailPanel.Pack(b, offsets, depth, _grid.Length - j, PanelWidth, tail);
                    b = tail;
                    offsets = tailOffsets;
                }
                for (var panel = panel0; panel < panel1; panel++)
                {
                    var c = block + (panel - panel0) * GemmTile.Rows * pitch + (j - first);
                    GemmTile.Run<T, V>(a + ((long)panel * _depth + k0) * GemmTile.Rows, b, offsets, depth, c, pitch, k0 > 0);
                }
            }
        }

        var rowsEnd = Math.Min(panel1 * GemmTile.Rows, _g.OutChannelsPerGroup);
        for (var r = panel0 * GemmTile.Rows; r < rowsEnd; r++)
        {
            var o = group * _g.OutChannelsPerGroup + r;
            var y = _output + (long)(n * _g.OutChannels + o) * _grid.Outputs;
            OutputRows.Write<T, V>(block + (r - panel0 * GemmTile.Rows) * pitch, first, end, _grid, _bias == null ? T.Zero : _bias[o], y);
        }
    }

    /// <summary>The start of part <paramref name="part"/> when <paramref name="count"/> items are cut into <paramref name="parts"/> near-equal parts.</summary>
    private static int Split(int count, int parts, int part) => (int)((long)count * part / parts);
}
