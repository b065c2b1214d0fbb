using System.Numerics;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// Tasks of (group, block of K, block of output channels), each summing over every image and pixel, so no two tasks
/// write the same gradient element. Pixels go in chunks sized so a chunk of gradOutput rows stays in L2 while the
/// three im2col rows of a <see cref="DotTile"/> stay in L1.
/// </summary>
internal sealed unsafe class KernelGradientJob<T, V>
    where T : unmanaged, IFloatingPointIeee754<T>
    where V : struct, ISimd<V, T>
{
    private readonly T* _input, _spread, _gradKernel;
    private readonly int* _offsets;
    private readonly ConvGeometry _g;
    private readonly PixelGrid _grid;
    private readonly int _depth, _chunk, _columnBlocks, _rowBlocks;
    private readonly CancellationToken _cancellationToken;
    private int _nextTask = -1;

    public KernelGradientJob(ConvGeometry g, T* input, T* spread, int* offsets, T* gradKernel, int workers, CancellationToken cancellationToken)
    {
        (_g, _cancellationToken) = (g, cancellationToken);
        _input = input;
        _spread = spread;
        _offsets = offsets;
        _gradKernel = gradKernel;
        _grid = PixelGrid.Of(g);
        _depth = g.InChannelsPerGroup * g.Axes[0].Kernel * g.Axes[1].Kernel;
        var chunk = (256 << 10) / (sizeof(T) * g.OutChannelsPerGroup) / V.Count * V.Count;
        _chunk = Math.Max(32 * V.Count, chunk);
        var columnTiles = (_depth + DotTile.Columns - 1) / DotTile.Columns;
        var rowTiles = (g.OutChannelsPerGroup + DotTile.Rows - 1) / DotTile.Rows;
        _columnBlocks = Math.Min(columnTiles, Math.Max(1, 4 * workers / g.Groups));
        _rowBlocks = Math.Min(rowTiles, Math.Max(1, 4 * workers / (g.Groups * _columnBlocks)));
        Tasks = g.Groups * _columnBlocks * _rowBlocks;
    }

    public int Tasks { get; }

    public void RunWorker(int worker)
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
                for (var first = 0; first < _grid.Length; first += _chunk)
                {
                    if (_cancellationToken.IsCancellationRequested)
                        return;
                    RunChunk(n, group, k0, k1, r0, r1, first, Math.Min(_chunk, _grid.Length - first));
                }
            }
        }
    }

    private void RunChunk(int n, int group, int k0, int k1, int r0, int r1, int first, int length)
    {
        var x = _input + (long)(n * _g.InChannels + group * _g.InChannelsPerGroup) * _grid.PlaneLength + first;
        var go = _spread + (long)(n * _g.OutChannels + group * _g.OutChannelsPerGroup) * _grid.Length + first;
        var gw = _gradKernel + (long)group * _g.OutChannelsPerGroup * _depth;
        var pitch = _grid.Length;
        for (var k = k0; k < k1; k += DotTile.Columns)
        {
            var fullColumns = k + DotTile.Columns <= k1;
            for (var r = r0; r < r1; r += DotTile.Rows)
            {
                if (fullColumns && r + DotTile.Rows <= r1)
                {
                    DotTile.Run<T, V>(go + (long)r * pitch, pitch, x, _offsets + k, length, gw + r * _depth + k, _depth);
                    continue;
                }
                for (var rr = r; rr < Math.Min(r + DotTile.Rows, r1); rr++)
                    for (var kk = k; kk < Math.Min(k + DotTile.Columns, k1); kk++)
                        gw[rr * _depth + kk] += DotTile.Dot<T, V>(go + (long)rr * pitch, x + _offsets[kk], length);
            }
        }
    }

    /// <summary>Block <paramref name="block"/> of [0, count) cut at multiples of <paramref name="tile"/> into <paramref name="blocks"/> near-equal blocks.</summary>
    private static (int Start, int End) Range(int count, int tile, int blocks, int block)
    {
        var tiles = (count + tile - 1) / tile;
        var start = (int)((long)tiles * block / blocks) * tile;
        var end = (int)((long)tiles * (block + 1) / blocks) * tile;
        return (start, Math.Min(end, count));
    }
}
