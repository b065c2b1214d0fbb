using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// The kernel gradient of a convolution with few pixels and many output channels (a deep layer's 14 × 14 or 7 × 7
/// planes, S3) as a GEMM over the pixels: <c>gradKernel[o, k] = Σ_n Σ_p gradOutput[n, o, p] · im2col[n, k, p]</c> with
/// the outputs p as its depth, gradOutput read in place as A (a row per output channel) and im2col gathered, a panel of
/// 3 vectors of taps k at a time, as B. The dot products along pixels (<see cref="KernelGradientJob{T, V}"/>) run there
/// over 14 vector steps each and then spend about as long again summing each accumulator's lanes; here an
/// accumulator's lanes are 16 different taps, each a chain of fused multiply-adds over (n, p) in order, never summed
/// across lanes. Only outputs are gathered, so the virtual pixels' wasted columns drop out too. The gather is scalar and
/// serves every output channel: worth it where there are many.
/// </summary>
internal sealed unsafe class KernelGradientGemm<T, V>
    where T : unmanaged, IFloatingPointIeee754<T>
    where V : struct, ISimd<V, T>
{
    private static readonly int PanelWidth = GemmTile.Vectors * V.Count;

    /// <summary>Rows per <see cref="GemmTile"/> call: eight, or four on AVX2 (<see cref="GemmTile.RowsPerTile{T, V}"/>).</summary>
    private static readonly int TileRows = GemmTile.RowsPerTile<T, V>();

    /// <summary>Pixels per B panel: 128 × 3 vectors, 24 KiB in L1, as <see cref="VirtualGemm{T, V}"/>'s depth blocks.</summary>
    private const int Depth = 128;

    /// <summary>Output channels per group from which the scalar gather is a small share of the work: 1/128 of a load and a store per multiply-add.</summary>
    private const int MinRows = 128;

    /// <summary>Vector steps along pixels at or below which the dot products' lane sums cost about as much as the steps.</summary>
    private const int MaxSteps = 32;

    private readonly ConvGeometry _g;
    private readonly T* _input, _gradOutput, _gradKernel;
    private readonly int* _offsets, _pixels;
    private readonly int _rows, _depth, _outputs, _plane, _panels;
    private readonly CancellationToken _cancellationToken;
    private TaskShares? _shares;

    /// <summary><paramref name="pixels"/>[p]: output p's virtual pixel; <paramref name="offsets"/>[k]: tap k's (<see cref="PixelGrid.TapOffsets(ConvGeometry, Span{int})"/>).</summary>
    public KernelGradientGemm(ConvGeometry g, PixelGrid grid, T* input, T* gradOutput, int* offsets, int* pixels, T* gradKernel, CancellationToken cancellationToken)
    {
        (_g, _cancellationToken) = (g, cancellationToken);
        _input = input;
        _gradOutput = gradOutput;
        _offsets = offsets;
        _pixels = pixels;
        _gradKernel = gradKernel;
        _rows = g.OutChannelsPerGroup;
        _depth = g.InChannelsPerGroup * g.Windows.KernelCells;
        (_outputs, _plane) = (grid.Outputs, grid.PlaneLength);
        _panels = (_depth + PanelWidth - 1) / PanelWidth;
        Tasks = g.Groups * _panels;
    }

    public int Tasks { get; }

    /// <summary>Whether <paramref name="g"/> has the many output channels per group and few vector steps along pixels this form is for.</summary>
    public static bool Helps(ConvGeometry g, PixelGrid grid) =>
        g.OutChannelsPerGroup >= MinRows && g.OutChannelsPerGroup % GemmTile.Rows == 0
        && g.InChannelsPerGroup * g.Windows.KernelCells >= PanelWidth
        && (grid.Length + V.Count - 1) / V.Count <= MaxSteps;

    /// <summary>Runs the tasks on <paramref name="workers"/> workers, each its own share first (<see cref="TaskShares"/>).</summary>
    public void Run(int workers)
    {
        _shares = new TaskShares(Tasks, workers);
        // B's panel, and C: the task's rows × one panel of taps, summed over every image before it goes to gradKernel.
        using var panels = new WorkerScratch<T>(workers, Depth * PanelWidth + _rows * PanelWidth + 2 * CacheLine.Slack<T>());
        _panelScratch = panels;
        ParallelSplit.Run(workers, RunWorker);
    }

    /// <summary>Each worker's B panel and C while <see cref="Run"/> runs.</summary>
    private WorkerScratch<T> _panelScratch;

    private void RunWorker(int worker)
    {
        var panel = _panelScratch[worker];
        var panelOffsets = ArrayPool<int>.Shared.Rent(Depth);
        try
        {
            for (var p = 0; p < Depth; p++)
                panelOffsets[p] = p * PanelWidth;
            fixed (T* rented = panel)
            fixed (int* offsets = panelOffsets)
            {
                var b = CacheLine.Align(rented);
                var c = CacheLine.Align(b + Depth * PanelWidth);
                var share = 0;
                while (!_cancellationToken.IsCancellationRequested && _shares!.TryClaim(worker, ref share, out var task))
                    RunTask(task / _panels, task % _panels, b, c, offsets);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(panelOffsets);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunTask(int group, int panel, T* b, T* c, int* panelOffsets)
    {
        var k0 = panel * PanelWidth;
        var taps = Math.Min(PanelWidth, _depth - k0);
        var gw = _gradKernel + (long)group * _rows * _depth + k0;
        new Span<T>(c, _rows * PanelWidth).Clear();
        for (var n = 0; n < _g.Batch; n++)
        {
            var x = _input + (long)(n * _g.InChannels + group * _g.InChannelsPerGroup) * _plane;
            var gy = _gradOutput + (long)(n * _g.OutChannels + group * _rows) * _outputs;
            for (var p0 = 0; p0 < _outputs; p0 += Depth)
            {
                var pixels = Math.Min(Depth, _outputs - p0);
                Gather(x, k0, taps, p0, pixels, b);
                // The last block's tiles store a whole panel's finished rows straight into gradKernel. Copying them there
                // afterwards (48 taps a row, the rows 2,304 apart) took a fifth of S3's samples.
                var finished = taps == PanelWidth && n == _g.Batch - 1 && p0 + Depth >= _outputs;
                for (var r = 0; r < _rows; r += TileRows)
                {
                    var store = finished ? new BlockStore<T, V>(gw + (long)r * _depth, _depth) : new BlockStore<T, V>(c + r * PanelWidth, PanelWidth);
                    var a = gy + (long)r * _outputs + p0;
                    if (TileRows == EightRows.Count)
                        GemmTile.Run<T, V, EightRows, ThreeVectors, BlockStore<T, V>, StridedRows>(a, _outputs, b, b + V.Count, b + 2 * V.Count, panelOffsets, pixels, c + r * PanelWidth, PanelWidth, true, ref store);
                    else
                        GemmTile.Run<T, V, FourRows, ThreeVectors, BlockStore<T, V>, StridedRows>(a, _outputs, b, b + V.Count, b + 2 * V.Count, panelOffsets, pixels, c + r * PanelWidth, PanelWidth, true, ref store);
                }
            }
        }
        if (taps == PanelWidth && _g.Batch > 0 && _outputs > 0)
            return;
        // A partial last panel (its tiles' lanes past the taps would land in the next panel's columns), or no blocks at all.
        for (var r = 0; r < _rows; r++)
            new Span<T>(c + r * PanelWidth, taps).CopyTo(new Span<T>(gw + (long)r * _depth, taps));
    }

    /// <summary><c>b[p·PanelWidth + t] = x[offsets[k0 + t] + pixels[p0 + p]]</c> for t &lt; taps (zeros after), p &lt; count.</summary>
    private void Gather(T* x, int k0, int taps, int p0, int count, T* b)
    {
        var offsets = _offsets + k0;
        for (var p = 0; p < count; p++)
        {
            var source = x + _pixels[p0 + p];
            var row = b + p * PanelWidth;
            for (var t = 0; t < taps; t++)
                row[t] = source[offsets[t]];
            for (var t = taps; t < PanelWidth; t++)
                row[t] = T.Zero;
        }
    }
}
