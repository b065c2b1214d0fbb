using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// The forward pass of a 3 × 3 convolution at stride 1 (2-D, or each plane of a 3-D one) by Winograd's F(2 × 2, 3 × 3): each 2 × 2
/// block of outputs ("tile") is <c>Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A</c> of the 4 × 4 input patch d under it, so that summed over
/// the input channels it takes 16 products per tile where the direct sums take 36. Per tile and channel the patch goes to
/// 16 values <c>V = Bᵀ d B</c>, per output and input channel the kernel to 16 values <c>U = G g Gᵀ</c>; then for each of the
/// 16 positions ξ one GEMM <c>M[ξ] = U[ξ] · V[ξ]</c> (output channels × input channels × tiles) on the same micro-kernel
/// as the direct pass (<see cref="GemmTile"/>), and per tile <c>Y = Aᵀ M A</c>, the bias added. With 2.25× fewer
/// multiply-adds the GEMMs' depth is the input channels (S2: 64).
/// <para>
/// Work goes a block of tile rows of one image at a time, which a worker takes whole: its V and M (16 × channels × tiles
/// each) stay in L2 from the transform that writes them to the one that reads them. A block's tiles lie side by side, a
/// tile row after the one before, and the transforms run along a tile row a vector of tiles at a time: a patch's four
/// columns are the even and odd elements of its rows from 2j and from 2j + 2 (<see cref="ISimd{TSelf, T}.Evens"/>).
/// Where an image's tiles are too few to share out but its channels many (S3), the workers share its output channels
/// instead (<see cref="ByOutputs"/>). A 3-D convolution whose kernel is 3 × 3 over each plane goes a block of whole output
/// planes at a time (<see cref="TakesByPlanes"/>): its depth taps are summed directly, as more input channels, each
/// output plane reading the input planes under its window from the block's V, where each input plane is transformed once.
/// The 16 positions of V, M and U lie a cache line more than their size apart, so that
/// a transform's 16 streams do not meet in the same sets of L1.
/// </para>
/// <para>
/// The transforms' coefficients are 0, ±1 and ±½, exact in binary, but the sums run in another order than the direct
/// pass's, through intermediate values up to a few times the inputs: the answers agree with the direct pass to rounding,
/// not bit for bit. <see cref="Takes"/> says where it is used.
/// </para>
/// </summary>
internal static unsafe class Winograd
{
    /// <summary>Input and output channels, at least, that repay the transforms: the GEMMs' depth and rows.</summary>
    public const int MinChannels = 16;

    /// <summary>
    /// Bytes of a block's V and M together, at most: Zen 5's 1 MiB L2. At 768 KiB S2 took 3 tile rows, 84 tiles in GEMMs
    /// 96 wide; 1 MiB (4 rows, 112 tiles, no padding) and 1.25 MiB ran S2's forward pass 1.02–1.05× faster (fastest runs).
    /// </summary>
    private const int BlockBytes = 1 << 20;

    /// <summary>
    /// Bytes of a kernel-gradient block's V and transformed gradOutput: far past L2, for each block's dot products end
    /// by folding their lanes (<see cref="DotTile"/>), and a block of S2's 84 tiles (6 vector steps) spent as long folding
    /// as multiplying. S2's kernel gradient against the direct one (alternating, float32): 0.89× at 768 KiB, 1.05× at
    /// 1.5 MiB, 1.15–1.16× at 3 MiB, 1.15–1.25× at 6 MiB, 1.25–1.31× at 12 MiB (whole images; float64 6 MiB 1.28–1.30×).
    /// </summary>
    private const long GradientBytes = 8 << 20;

    /// <summary>Bytes of a chunk's U and M together where output channels are shared out (<see cref="Job{T, V}.RunByOutputs"/>): half of L2.</summary>
    private const long ChunkBytes = 512 << 10;

    /// <summary>
    /// Whether the forward pass of <paramref name="g"/> runs here: 2-D, a 3 × 3 kernel at stride 1 and dilation 1, one
    /// group, at least <see cref="MinChannels"/> input and output channels, and either <see cref="MinTiles"/> tiles and
    /// tile rows enough for <see cref="BlocksPerWorker"/> blocks a worker, or few tiles but many channels (<see cref="ByOutputs"/>);
    /// or 3-D over blocks of planes (<see cref="TakesByPlanes"/>).
    /// </summary>
    public static bool Takes(ConvGeometry g) => TakesByTileRows(g) || ByOutputs(g) || TakesByPlanes(g);

    /// <summary>
    /// Whether the forward pass of the 3-D <paramref name="g"/> runs here, over blocks of whole output planes: a 3 × 3
    /// kernel over each plane's two axes and any kernel depth, all at stride 1 and dilation 1, one group,
    /// <see cref="MinChannels"/> channels each way, <see cref="MinTiles"/> tiles and planes enough to share out. Each
    /// output plane is then a 2-D convolution whose input channels are the input channels times the kernel's depth taps
    /// (input plane d + kd under tap kd), so each input plane is transformed once per block and read by every output
    /// plane whose window covers it; the depth taps stay direct sums in the GEMMs' depth.
    /// </summary>
    public static bool TakesByPlanes(ConvGeometry g)
    {
        if (!MayTakeByPlanes(g) || g.Axes[1].Output < 2 || g.Axes[2].Output < 2)
            return false;
        var planes = (long)g.Batch * g.Axes[0].Output;
        var perPlane = (long)((g.Axes[1].Output + 1) / 2) * ((g.Axes[2].Output + 1) / 2);
        // A block holds one output plane at least: its M and its input planes' V, within MaxImageBytes in float64.
        var smallest = 16 * (perPlane + 16) * ((long)g.Axes[0].Kernel * g.InChannels + g.OutChannels) * sizeof(double);
        return planes * perPlane >= MinTiles && planes >= BlocksPerWorker * ParallelSplit.Workers(g.MultiplyAdds) && smallest <= MaxImageBytes;
    }

    /// <summary>
    /// Whether <paramref name="g"/> runs here over blocks of tile rows (<see cref="Takes"/> but for <see cref="ByOutputs"/>):
    /// where the gradients take Winograd's. The kernel gradient sums each worker's blocks into its own copy, which an
    /// image of few tiles (S3: 65,536 kernels from 49 tiles) spends longer transforming and adding than it saves; and S3's
    /// backward pass with its input gradient by output channels ran 0.75–0.85× against the direct full convolution
    /// (`--pass S3 backward 2 winograd`), though its forward pass by output channels runs 1.2–1.3× faster.
    /// </summary>
    public static bool TakesByTileRows(ConvGeometry g) => MayTake(g) && g.Axes.All(axis => axis.Output >= 2) && SharesTiles(g);

    /// <summary>
    /// The kind of 3-D convolution <see cref="TakesByPlanes"/> looks at further, as <see cref="MayTake"/> in 2-D (so is the
    /// input gradient's full convolution): one group, <see cref="MinChannels"/> channels each way, a 3 × 3 kernel over the
    /// last two axes, stride 1 and dilation 1 on all three.
    /// </summary>
    public static bool MayTakeByPlanes(ConvGeometry g) =>
        Enabled && g.SpatialDims == 3 && g.Groups == 1 && g.InChannels >= MinChannels && g.OutChannels >= MinChannels
        && g.Axes.All(axis => axis.Stride == 1 && axis.Dilation == 1) && g.Axes[1].Kernel == 3 && g.Axes[2].Kernel == 3;

    /// <summary>
    /// Whether the kernel gradient of <paramref name="g"/> runs here, as F(3 × 3, 2 × 2) over tile-row blocks or blocks
    /// of 3-D planes (<see cref="KernelGradient{T, V}"/>), and, for the input gradient's full convolution (itself a
    /// forward pass), whether that runs here: not by output channels (<see cref="TakesByTileRows"/>).
    /// </summary>
    public static bool TakesGradient(ConvGeometry g) => TakesByTileRows(g) || TakesByPlanes(g);

    /// <summary>Tiles enough, and tile rows enough, for blocks of tile rows that each worker gets <see cref="BlocksPerWorker"/> of.</summary>
    private static bool SharesTiles(ConvGeometry g)
    {
        var (rows, columns) = ((g.Axes[0].Output + 1) / 2, (g.Axes[1].Output + 1) / 2);
        return (long)g.Batch * rows * columns >= MinTiles && g.Batch * rows >= BlocksPerWorker * ParallelSplit.Workers(g.MultiplyAdds);
    }

    /// <summary>
    /// Whether the forward pass goes an image at a time, output channels shared among the workers
    /// (<see cref="Job{T, V}.RunByOutputs"/>): where tiles are too few to share, but channels many and an image's tiles
    /// fill a few vectors. Against the direct pass (float32, alternating, fastest runs): S3 (49 tiles, 256 → 256) 1.21–1.28×,
    /// 1 × 128 × 14² 1.25–1.38×, 1 × 256 × 28² (196 tiles) 1.51–1.55×, 1 × 512 × 14² 1.04–1.07×; but 1 × 512 × 7², whose
    /// 16 tiles are one vector, 0.76–0.79×.
    /// </summary>
    internal static bool ByOutputs(ConvGeometry g)
    {
        if (!MayTake(g) || !g.Axes.All(axis => axis.Output >= 2) || g.InChannels < MinChannelsByOutputs || g.OutChannels < MinChannelsByOutputs)
            return false;
        var tiles = (long)((g.Axes[0].Output + 1) / 2) * ((g.Axes[1].Output + 1) / 2);
        return tiles >= MinTilesByOutputs && 16 * (tiles + 32) * g.InChannels * sizeof(double) <= MaxImageBytes && !SharesTiles(g);
    }

    /// <summary>Input and output channels, at least, where output channels are shared out: the chunks the workers take.</summary>
    private const int MinChannelsByOutputs = 128;

    /// <summary>An image's tiles, at least, where output channels are shared out: S3 has 49; 1 × 512 × 7²'s 16 ran slower.</summary>
    private const int MinTilesByOutputs = 32;

    /// <summary>
    /// Bytes of an image's V, at most, where output channels are shared out (counted in float64, with the pitch's slack):
    /// V holds 4 values per input cell, and the whole image's at once, so a few tile rows of a very wide image (which
    /// tile-row blocks cannot share out either) keep the direct pass rather than take four times their input's memory.
    /// S3's is 2.6 MB in float64. Likewise a block of 3-D planes, one output plane at least (<see cref="TakesByPlanes"/>):
    /// S6's is 0.7 MB, 16 × 56² → 16 channels' 6.5 MB; planes of 128² (33.7 MB with 16 → 16 channels) keep the direct pass.
    /// </summary>
    private const long MaxImageBytes = 16 << 20;

    /// <summary>
    /// The kind of convolution <see cref="Takes"/> looks at further: 2-D, one group, a 3 × 3 kernel at stride 1 and
    /// dilation 1, <see cref="MinChannels"/> input and output channels; so is the input gradient's full convolution.
    /// </summary>
    public static bool MayTake(ConvGeometry g) =>
        Enabled && g.SpatialDims == 2 && g.Groups == 1 && g.InChannels >= MinChannels && g.OutChannels >= MinChannels
        && g.Axes.All(axis => axis.Kernel == 3 && axis.Stride == 1 && axis.Dilation == 1);

    /// <summary>
    /// Tiles, at least, over which the kernel's transform (16 values per output and input channel) pays: S3's 49 tiles
    /// of 256 → 256 channels ran 3.4× slower than the direct pass with each kernel transformed on its own, and still
    /// 1.4× slower with them gathered a vector at a time (its U, 4 MB, outgrows L2 between the transform and the GEMMs);
    /// S2's 6,272 tiles run 1.3–1.4× faster.
    /// </summary>
    private const int MinTiles = 1024;

    /// <summary>
    /// Blocks per worker, at least, so that the workers finish together: a block is a tile row or more (or a 3-D plane).
    /// The 3-D kernel gradient in float32 takes one block a worker instead: each block's dot products end by folding
    /// their lanes and its input planes are transformed with the kernel's reach beyond them, and S6's (2 × 16 planes of 64
    /// tiles) against the direct pass ran 1.27–1.52× at one block a worker, 1.30–1.35× at two, 1.08–1.10× at four (medians);
    /// in float64, whose blocks take twice the memory, 1.23–1.27×, 1.35× and 1.79×.
    /// </summary>
    private const int BlocksPerWorker = 4;

    /// <summary>Whether <see cref="Takes"/> may say yes: off in the benchmarks' comparisons against the direct pass.</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>
    /// output (N, Cout, Ho, Wo) = bias + the convolution of <paramref name="input"/>: the already padded input (N, C, padded
    /// sizes) where <paramref name="padded"/>, else the unpadded input of a zero-padded convolution, whose zeros the input
    /// transform writes as it lays out the rows.
    /// </summary>
    public static void Forward<T, V>(ConvGeometry g, ReadOnlySpan<T> input, bool padded, ReadOnlySpan<T> kernel, ReadOnlySpan<T> bias, Span<T> output, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var workers = ParallelSplit.Workers(g.MultiplyAdds);
        if (ByOutputs(g))
        {
            fixed (T* k = kernel, x = input, b = bias, y = output)
                new Job<T, V>(new Plan(g, padded, sizeof(T), V.Count, workers, wholeImages: true), null, x, bias.IsEmpty ? null : b, y, null, null, cancellationToken).RunByOutputs(workers, k);
            cancellationToken.ThrowIfCancellationRequested();
            return;
        }
        var plan = new Plan(g, padded, sizeof(T), V.Count, workers);
        var transformed = TensorPool<T>.Shared.Rent((int)(16 * plan.KernelStride));
        try
        {
            fixed (T* k = kernel, u = transformed, x = input, b = bias, y = output)
            {
                TransformKernel<T, V>(k, plan, u);
                var job = new Job<T, V>(plan, u, x, bias.IsEmpty ? null : b, y, null, null, cancellationToken);
                job.Run(Math.Min(workers, plan.Images * plan.BlocksPerImage));
            }
        }
        finally
        {
            TensorPool<T>.Shared.Return(transformed);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// gradKernel (Cout, C, [kernel depth,] 3, 3) = Σ_n Σ_outputs gradOutput · input under the window, by Winograd's F(3 × 3, 2 × 2), the
    /// forward pass's transposed form: per tile, <c>Gᵀ[(A e Aᵀ) ⊙ (Bᵀ d B)]G</c> with e the tile's 2 × 2 gradOutput and d
    /// its 4 × 4 input patch (the forward pass's V), summed over the tiles first: 16 sums of products per output and input
    /// channel and tile, where the direct sums take 36. <paramref name="input"/> and <paramref name="padded"/> are as
    /// <see cref="Forward{T, V}"/> takes them; in 3-D each depth tap's sums run over the output planes and the input planes
    /// under them, as the forward pass's GEMMs read them. Where <see cref="TakesGradient"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void KernelGradient<T, V>(ConvGeometry g, ReadOnlySpan<T> input, bool padded, ReadOnlySpan<T> gradOutput, Span<T> gradKernel, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var workers = ParallelSplit.Workers(g.MultiplyAdds);
        var plan = new Plan(g, padded, sizeof(T), V.Count, workers, GradientBytes, blocksPerWorker: g.SpatialDims == 3 && sizeof(T) == sizeof(float) ? 1 : BlocksPerWorker);
        workers = Math.Min(workers, plan.Images * plan.BlocksPerImage);
        var length = 16 * plan.Outputs * plan.GemmDepth;
        var sums = new T[workers][];
        try
        {
            for (var worker = 0; worker < workers; worker++)
            {
                sums[worker] = TensorPool<T>.Shared.Rent(length);
                sums[worker].AsSpan(0, length).Clear();
            }
            fixed (T* x = input, gy = gradOutput)
            {
                var job = new Job<T, V>(plan, null, x, null, null, gy, sums, cancellationToken);
                job.Run(workers);
            }
            cancellationToken.ThrowIfCancellationRequested();
            var total = sums[0].AsSpan(0, length);
            for (var worker = 1; worker < workers; worker++)
            {
                for (var i = 0; i < length; i++)
                    total[i] += sums[worker][i];
            }
            TransformSums(total, plan.Outputs * plan.GemmDepth, gradKernel);
        }
        finally
        {
            // In the reverse order, so that each worker rents the same sums next time (see WorkerScratch).
            for (var worker = sums.Length - 1; worker >= 0; worker--)
            {
                if (sums[worker] != null)
                    TensorPool<T>.Shared.Return(sums[worker]);
            }
        }
    }

    /// <summary>
    /// <c>gradKernel[o][c] = Gᵀ M G</c> for each pair's 4 × 4 sums M (position ξ at <c>sums[ξ·pairs + pair]</c>), with
    /// Gᵀ = [1 ½ ½ 0; 0 ½ −½ 0; 0 ½ ½ 1].
    /// </summary>
    private static void TransformSums<T>(ReadOnlySpan<T> sums, int pairs, Span<T> gradKernel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var half = T.One / (T.One + T.One);
        Span<T> t = stackalloc T[12];
        for (var pair = 0; pair < pairs; pair++)
        {
            // t = Gᵀ M (3 × 4), column by column; then each row of t times G (3 values).
            for (var b = 0; b < 4; b++)
            {
                T m0 = sums[b * pairs + pair], m1 = sums[(4 + b) * pairs + pair], m2 = sums[(8 + b) * pairs + pair], m3 = sums[(12 + b) * pairs + pair];
                t[b] = m0 + (m1 + m2) * half;
                t[4 + b] = (m1 - m2) * half;
                t[8 + b] = (m1 + m2) * half + m3;
            }
            var z = gradKernel.Slice(9 * pair, 9);
            for (var p = 0; p < 3; p++)
            {
                T t0 = t[4 * p], t1 = t[4 * p + 1], t2 = t[4 * p + 2], t3 = t[4 * p + 3];
                z[3 * p] = t0 + (t1 + t2) * half;
                z[3 * p + 1] = (t1 - t2) * half;
                z[3 * p + 2] = (t1 + t2) * half + t3;
            }
        }
    }

    /// <summary>
    /// <c>u[ξ·KernelStride + o·C + c] = (G g Gᵀ)[ξ]</c> for each 3 × 3 kernel g = kernel[o, c], with G = [1 0 0; ½ ½ ½;
    /// ½ −½ ½; 0 0 1]: position ξ's U row-major, which the GEMMs read where it lies, its rows rounded up to whole panels
    /// (zeros past the last output channel). Rows are shared among workers, a vector of input channels at a time, each
    /// tap gathered nine elements apart: S3's 65,536 kernels had taken longer one by one, with every kernel's 16 values
    /// stored a whole U apart, than the GEMMs they feed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformKernel<T, V>(T* kernel, Plan plan, T* u)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var rows = plan.Panels * GemmTile.Rows;
        ParallelSplit.Ranges(rows, 16L * rows * plan.GemmDepth, (first, end) =>
        {
            for (var o = first; o < end; o++)
                TransformKernelRow<T, V>(kernel, o, plan.Outputs, plan.GemmDepth, plan.KernelStride, u + (long)o * plan.GemmDepth);
        });
    }

    /// <summary>
    /// Output channel <paramref name="o"/>'s row of every U, at <paramref name="row"/> in the first and
    /// <paramref name="stride"/> apart; zeros for a row past the last of <paramref name="outputs"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformKernelRow<T, V>(T* kernel, int o, int outputs, int channels, long stride, T* row)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        if (o >= outputs)
        {
            for (var xi = 0; xi < 16; xi++)
                new Span<T>(row + xi * stride, channels).Clear();
            return;
        }
        var half = V.Broadcast(T.One / (T.One + T.One));
        // Channels ≥ MinChannels ≥ a vector: the last vector ends flush with the row, over channels already done.
        for (var c = 0; c < channels; c += V.Count)
        {
            var at = Math.Min(c, channels - V.Count);
            var g = kernel + ((long)o * channels + at) * 9;
            // t = G g (4 × 3), column by column; then each row of t times Gᵀ, stored at its four positions.
            KernelColumn(g, 0, half, out var t00, out var t10, out var t20, out var t30);
            KernelColumn(g, 1, half, out var t01, out var t11, out var t21, out var t31);
            KernelColumn(g, 2, half, out var t02, out var t12, out var t22, out var t32);
            var to = row + at;
            KernelRow(t00, t01, t02, half, to, 0, stride);
            KernelRow(t10, t11, t12, half, to, 4, stride);
            KernelRow(t20, t21, t22, half, to, 8, stride);
            KernelRow(t30, t31, t32, half, to, 12, stride);
        }
    }

    /// <summary>Column <paramref name="column"/> of G g for a vector of kernels nine elements apart: (g0, (g0 + g1 + g2)·½, (g0 − g1 + g2)·½, g2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void KernelColumn<T, V>(T* g, int column, V half, out V t0, out V t1, out V t2, out V t3)
        where T : unmanaged
        where V : struct, ISimd<V, T>
    {
        V g0 = V.GatherStrided(g + column, 9), g1 = V.GatherStrided(g + 3 + column, 9), g2 = V.GatherStrided(g + 6 + column, 9);
        (t0, t1, t2, t3) = (g0, V.Multiply(V.Add(V.Add(g0, g1), g2), half), V.Multiply(V.Add(V.Subtract(g0, g1), g2), half), g2);
    }

    /// <summary>A row (t0, t1, t2) of G g times Gᵀ, stored at positions ξ … ξ + 3: (t0, (t0 + t1 + t2)·½, (t0 − t1 + t2)·½, t2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void KernelRow<T, V>(V t0, V t1, V t2, V half, T* to, int xi, long stride)
        where T : unmanaged
        where V : struct, ISimd<V, T>
    {
        V.Store(t0, to + xi * stride);
        V.Store(V.Multiply(V.Add(V.Add(t0, t1), t2), half), to + (xi + 1) * stride);
        V.Store(V.Multiply(V.Add(V.Subtract(t0, t1), t2), half), to + (xi + 2) * stride);
        V.Store(t2, to + (xi + 3) * stride);
    }

    /// <summary>The sizes every block shares.</summary>
    private readonly struct Plan
    {
        /// <summary>
        /// The blocks of <paramref name="g"/>'s tiles for <paramref name="workers"/> workers over elements of
        /// <paramref name="elementSize"/> bytes and vectors of <paramref name="vector"/> lanes, V and M within
        /// <paramref name="budget"/> bytes; <paramref name="padded"/>: the input is already padded (its sizes the padded
        /// ones, no zeros to add before them); <paramref name="blocksPerWorker"/>: blocks of 3-D planes each worker gets, at least.
        /// </summary>
        public Plan(ConvGeometry g, bool padded, int elementSize, int vector, int workers, long budget = BlockBytes, bool wholeImages = false, int blocksPerWorker = BlocksPerWorker)
        {
            (Images, Channels, Outputs) = (g.Batch, g.InChannels, g.OutChannels);
            // In 3-D the first axis is the depth, whose taps the GEMMs sum directly; a 2-D convolution is one plane deep.
            var volume = g.SpatialDims == 3;
            var (vertical, horizontal) = volume ? (g.Axes[1], g.Axes[2]) : (g.Axes[0], g.Axes[1]);
            (Height, Width, PadTop, PadLeft) = padded
                ? ((int)vertical.PaddedInput, (int)horizontal.PaddedInput, 0, 0)
                : (vertical.Input, horizontal.Input, vertical.PadBegin, horizontal.PadBegin);
            (Depth, PadFront, KernelDepth, OutDepth) = !volume ? (1, 0, 1, 1)
                : padded ? ((int)g.Axes[0].PaddedInput, 0, g.Axes[0].Kernel, g.Axes[0].Output)
                : (g.Axes[0].Input, g.Axes[0].PadBegin, g.Axes[0].Kernel, g.Axes[0].Output);
            (OutHeight, OutWidth) = (vertical.Output, horizontal.Output);
            (TileRows, TileColumns) = ((OutHeight + 1) / 2, (OutWidth + 1) / 2);
            Panels = WeightPanels.PerGroup(Outputs);
            PlaneTiles = (TileRows * TileColumns + vector - 1) / vector * vector;
            KernelStride = (long)Panels * GemmTile.Rows * Channels * KernelDepth + CacheLine.Bytes / elementSize;
            // A vector of tiles from column 2j reads its rows up to 2j + 2·Count + 2, the last vector starting at
            // j = TileColumns rounded up to vectors, less one.
            LineLength = 2 * ((TileColumns + vector - 1) / vector * vector) + 4;
            if (volume)
            {
                // Whole planes: as many output planes a block as keep V (those planes and the kernel's reach beyond them)
                // and M within the budget, and few enough that each worker gets BlocksPerWorker; then evened out.
                var perPlane = 16L * PlaneTiles * elementSize;
                var reach = perPlane * Channels * (KernelDepth - 1);
                var planes = (budget - reach) / (perPlane * (Channels + Panels * GemmTile.Rows));
                var most = (int)Math.Clamp(Math.Min(planes, (long)Images * OutDepth / (blocksPerWorker * workers)), 1, OutDepth);
                BlocksPerImage = (OutDepth + most - 1) / most;
                PlanesPerBlock = (OutDepth + BlocksPerImage - 1) / BlocksPerImage;
                (RowsPerBlock, ByPlanes) = (TileRows, true);
                return;
            }
            PlanesPerBlock = 1;
            // Tile rows per block: as many as keep V and M (a vector of slack each) within BlockBytes, and few enough
            // that each worker gets BlocksPerWorker of them; one at least.
            var perTile = 16L * (Channels + Panels * GemmTile.Rows) * elementSize;
            var shared = (long)Images * TileRows / (BlocksPerWorker * workers);
            var tallest = wholeImages ? TileRows : (int)Math.Clamp(Math.Min(budget / perTile / TileColumns, shared), 1, TileRows);
            // Of the block heights from half that up, the one whose tiles pad the GEMMs' last vector least (the tallest of equals).
            var columns = TileColumns;
            RowsPerBlock = tallest;
            for (var rows = tallest - 1; !wholeImages && rows >= Math.Max(1, (tallest + 1) / 2); rows--)
            {
                if (Padding(rows) < Padding(RowsPerBlock))
                    RowsPerBlock = rows;
            }
            double Padding(int rows) => (double)((rows * columns + vector - 1) / vector * vector - rows * columns) / (rows * columns);
            BlocksPerImage = (TileRows + RowsPerBlock - 1) / RowsPerBlock;
        }

        /// <summary>Whether blocks are whole planes of a 3-D convolution (<see cref="TakesByPlanes"/>), not tile rows.</summary>
        public bool ByPlanes { get; }

        /// <summary>The input's planes as read (1 in 2-D), the zero planes before them, the kernel's depth, the output's planes.</summary>
        public int Depth { get; }

        public int PadFront { get; }

        public int KernelDepth { get; }

        public int OutDepth { get; }

        /// <summary>Output planes per block in 3-D (1 in 2-D); its V holds <see cref="Slots"/> input planes.</summary>
        public int PlanesPerBlock { get; }

        /// <summary>Input planes a block of 3-D planes reads: its own and the kernel's reach beyond them.</summary>
        public int Slots => PlanesPerBlock + KernelDepth - 1;

        /// <summary>A plane's tiles rounded up to whole vectors: one plane's span in a block of 3-D planes.</summary>
        public int PlaneTiles { get; }

        /// <summary>The GEMMs' depth: input channels times the kernel's depth taps (input channels in 2-D).</summary>
        public int GemmDepth => Channels * KernelDepth;

        public int Images { get; }

        public int Channels { get; }

        public int Outputs { get; }

        public int Height { get; }

        public int Width { get; }

        public int PadTop { get; }

        public int PadLeft { get; }

        public int OutHeight { get; }

        public int OutWidth { get; }

        public int TileRows { get; }

        public int TileColumns { get; }

        public int Panels { get; }

        public int RowsPerBlock { get; }

        public int BlocksPerImage { get; }

        /// <summary>
        /// Elements from one position's U to the next: its rows (whole panels) and a cache line more, so that the 16
        /// positions' rows, which the kernel transform writes side by side, do not all fall in the same sets of L1.
        /// </summary>
        public long KernelStride { get; }

        /// <summary>One padded input row as the input transform reads it, with room for the last vector's overrun.</summary>
        public int LineLength { get; }
    }

    /// <summary>One call's blocks, claimed by the workers, each its own share first (<see cref="TaskShares"/>), each with its own V, M and input lines.</summary>
    /// <remarks>
    /// For the kernel gradient (<paramref name="gradOutput"/> set) a block's second buffer holds gradOutput's tiles
    /// transformed, and each worker adds the block's 16 products into its own sums (<paramref name="sums"/>).
    /// </remarks>
    private sealed class Job<T, V>(Plan plan, T* kernels, T* input, T* bias, T* output, T* gradOutput, T[][]? sums, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        private static readonly int TileRowsPerCall = GemmTile.RowsPerTile<T, V>();

        /// <summary>
        /// A block's tiles apart from one channel's (or output channel's) to the next in V and M: its tiles rounded up
        /// to whole vectors, and a vector more for the last tile row's overrun.
        /// </summary>
        private readonly int _pitch = Pitch(plan);

        /// <summary>
        /// Elements from one position's V to the next: the channels' tiles and a cache line more, so that the 16 positions
        /// a transform writes (or reads) side by side do not fall in the same sets of L1, as they did where a position
        /// was whole pages (S2's 64 × 128 floats, S3's 256 × 80).
        /// </summary>
        private readonly long _inputStep = (long)plan.Channels * Pitch(plan) + CacheLine.Bytes / sizeof(T);

        private static int Pitch(Plan plan) =>
            (plan.ByPlanes ? plan.Slots * plan.PlaneTiles : (plan.RowsPerBlock * plan.TileColumns + V.Count - 1) / V.Count * V.Count) + V.Count;

        /// <summary>
        /// Where each row of the GEMMs' depth starts in V: input channel c's plane under depth tap kd at
        /// <c>c·pitch + kd·PlaneTiles</c> (row c·KernelDepth + kd, as the kernel lies), so that a block's output planes,
        /// side by side, read their input planes side by side too.
        /// </summary>
        private int[] DepthOffsets()
        {
            var offsets = new int[plan.GemmDepth];
            for (var c = 0; c < plan.Channels; c++)
            {
                for (var kd = 0; kd < plan.KernelDepth; kd++)
                    offsets[c * plan.KernelDepth + kd] = c * _pitch + kd * plan.PlaneTiles;
            }
            return offsets;
        }

        /// <summary>Elements from one position's M (or transformed gradOutput) to the next, for <paramref name="rows"/> rows: as <see cref="_inputStep"/>.</summary>
        private long OutputStep(int rows) => (long)rows * _pitch + CacheLine.Bytes / sizeof(T);

        private TaskShares? _shares;

        /// <summary>
        /// The forward pass an image at a time, for images whose tiles are too few to share among the workers (S3: 49 of
        /// 256 → 256 channels): each worker transforms the image's input into its own V (a few per cent of the GEMMs'
        /// work, where one V shared by the workers had each read the other's half from the other core on every call),
        /// then takes chunks of output channels, its own share first, each transforming its rows of U from
        /// <paramref name="kernel"/>, multiplying, and transforming its outputs, so that a chunk's U and M stay in L2 (all
        /// of S3's U is 4 MB).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void RunByOutputs(int workers, T* kernel)
        {
            var tiles = (plan.TileRows * plan.TileColumns + V.Count - 1) / V.Count * V.Count;
            var offsets = new int[plan.Channels];
            for (var c = 0; c < plan.Channels; c++)
                offsets[c] = c * _pitch;
            // Panels per chunk: U's and M's rows within ChunkBytes, and chunks enough for BlocksPerWorker each.
            var perRow = 16L * (plan.Channels + _pitch) * sizeof(T);
            var panels = (int)Math.Clamp(ChunkBytes / perRow / GemmTile.Rows, 1, Math.Max(1, plan.Panels / (BlocksPerWorker * workers)));
            var chunks = (plan.Panels + panels - 1) / panels;
            var chunkRows = panels * GemmTile.Rows;
            var shares = new TaskShares[plan.Images];
            for (var image = 0; image < plan.Images; image++)
                shares[image] = new TaskShares(chunks, workers);
            using var inputs = new WorkerScratch<T>(workers, (int)(16 * _inputStep) + CacheLine.Slack<T>());
            using var lines = new WorkerScratch<T>(workers, (2 * plan.TileRows + 3) * plan.LineLength);
            using var transformed = new WorkerScratch<T>(workers, (int)(16 * ((long)chunkRows * plan.Channels + CacheLine.Bytes / sizeof(T))) + CacheLine.Slack<T>());
            using var products = new WorkerScratch<T>(workers, (int)(16 * OutputStep(chunkRows)) + CacheLine.Slack<T>());
            (_inputs, _lines, _transformed, _products) = (inputs, lines, transformed, products);
            fixed (int* o = offsets)
            {
                var offset = o;
                ParallelSplit.Run(workers, worker => RunImages(worker, kernel, offset, tiles, panels, chunks, shares));
            }
        }

        /// <summary>Each image in turn: its input transformed into the worker's own V, then the worker's chunks of its outputs (<see cref="RunByOutputs"/>).</summary>
        private void RunImages(int worker, T* kernel, int* offsets, int tiles, int panels, int chunks, TaskShares[] shares)
        {
            fixed (T* v0 = _inputs[worker], line = _lines[worker])
            {
                var v = CacheLine.Align(v0);
                for (var image = 0; image < plan.Images && !cancellationToken.IsCancellationRequested; image++)
                {
                    TransformInput(image, 0, plan.TileRows, 0, plan.Channels, line, v);
                    RunChunks(worker, image, kernel, v, offsets, tiles, panels, chunks, shares[image]);
                }
            }
        }

        /// <summary>Chunks of <paramref name="panels"/> row panels of output channels, each worker's share first: U's rows, 16 GEMMs, the outputs.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunChunks(int worker, int image, T* kernel, T* v, int* offsets, int tiles, int panels, int chunks, TaskShares shares)
        {
            var rows = panels * GemmTile.Rows;
            var stride = (long)rows * plan.Channels + CacheLine.Bytes / sizeof(T);
            fixed (T* u0 = _transformed[worker], m0 = _products[worker])
            {
                T* u = CacheLine.Align(u0), m = CacheLine.Align(m0);
                var share = 0;
                while (shares.TryClaim(worker, ref share, out var chunk))
                {
                    if (cancellationToken.IsCancellationRequested)
                        return;
                    var (first, count) = (chunk * panels, Math.Min(panels, plan.Panels - chunk * panels));
                    var o0 = first * GemmTile.Rows;
                    for (var o = o0; o < o0 + count * GemmTile.Rows; o++)
                        TransformKernelRow<T, V>(kernel, o, plan.Outputs, plan.Channels, stride, u + (long)(o - o0) * plan.Channels);
                    for (var xi = 0; xi < 16; xi++)
                        Multiply(u + xi * stride, count, v + xi * _inputStep, offsets, tiles, m + xi * OutputStep(rows));
                    TransformOutput(image, 0, plan.TileRows, m, o0, Math.Min(plan.Outputs, o0 + count * GemmTile.Rows), OutputStep(rows));
                }
            }
        }

        /// <summary>Runs the blocks on <paramref name="workers"/> workers, each its own share first (<see cref="TaskShares"/>).</summary>
        public void Run(int workers)
        {
            _shares = new TaskShares(plan.Images * plan.BlocksPerImage, workers);
            var rows = plan.Panels * GemmTile.Rows;
            using var transformed = new WorkerScratch<T>(workers, (int)(16 * _inputStep) + CacheLine.Slack<T>());
            using var products = new WorkerScratch<T>(workers, (int)(16 * OutputStep(rows)) + CacheLine.Slack<T>());
            using var lines = new WorkerScratch<T>(workers, (2 * plan.RowsPerBlock + 3) * plan.LineLength);
            (_transformed, _products, _lines) = (transformed, products, lines);
            ParallelSplit.Run(workers, RunWorker);
        }

        /// <summary>Each worker's V, M and input lines while <see cref="Run"/> runs; its V, lines, U and M while <see cref="RunByOutputs"/> does.</summary>
        private WorkerScratch<T> _transformed, _products, _lines, _inputs;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunWorker(int worker)
        {
            var rows = plan.Panels * GemmTile.Rows;
            var offsets = DepthOffsets();
            fixed (T* v = _transformed[worker], m = _products[worker], line = _lines[worker])
            fixed (int* o = offsets)
            {
                T* vAligned = CacheLine.Align(v), mAligned = CacheLine.Align(m);
                if (plan.ByPlanes)
                {
                    RunPlanes(worker, vAligned, o, mAligned, line);
                    return;
                }
                var share = 0;
                while (_shares!.TryClaim(worker, ref share, out var block))
                {
                    if (cancellationToken.IsCancellationRequested)
                        return;
                    var (image, first) = (block / plan.BlocksPerImage, block % plan.BlocksPerImage * plan.RowsPerBlock);
                    var end = Math.Min(plan.TileRows, first + plan.RowsPerBlock);
                    TransformInput(image, first, end, 0, plan.Channels, line, vAligned);
                    var tiles = ((end - first) * plan.TileColumns + V.Count - 1) / V.Count * V.Count;
                    if (gradOutput != null)
                    {
                        TransformGradOutput(image, first, end, line, mAligned);
                        // The dot products run over whole vectors: lanes past the block's last tile that the last tile
                        // row's vectors stop short of (47 columns, 5 rows: lanes 236–239 of 240) hold what the pool held.
                        var count = (end - first) * plan.TileColumns;
                        ClearTail(vAligned, plan.Channels, count, tiles, _inputStep);
                        ClearTail(mAligned, plan.Outputs, count, tiles, OutputStep(rows));
                    }
                    Products(worker, tiles, vAligned, o, mAligned);
                    if (gradOutput == null)
                        TransformOutput(image, first, end, mAligned, 0, plan.Outputs, OutputStep(rows));
                }
            }
        }

        /// <summary>
        /// The blocks of whole output planes of a 3-D convolution (<see cref="TakesByPlanes"/>), each worker's share first: each
        /// block's input planes transformed, the 16 GEMMs over its planes side by side, its outputs.
        /// </summary>
        private void RunPlanes(int worker, T* v, int* offsets, T* m, T* slab)
        {
            var step = OutputStep(plan.Panels * GemmTile.Rows);
            var share = 0;
            while (_shares!.TryClaim(worker, ref share, out var block))
            {
                if (cancellationToken.IsCancellationRequested)
                    return;
                var (image, first) = (block / plan.BlocksPerImage, block % plan.BlocksPerImage * plan.PlanesPerBlock);
                var end = Math.Min(plan.OutDepth, first + plan.PlanesPerBlock);
                TransformPlanes(image, first, end, slab, v);
                var tiles = (end - first) * plan.PlaneTiles;
                if (gradOutput != null)
                    TransformGradOutputPlanes(image, first, end, slab, m);
                Products(worker, tiles, v, offsets, m);
                if (gradOutput == null)
                    TransformOutputPlanes(image, first, end, m, step);
            }
        }

        /// <summary>
        /// A block's 16 products over its <paramref name="tiles"/>: for the kernel gradient, V against the transformed
        /// gradOutput in <paramref name="m"/>, added into the worker's sums; else U · V into M.
        /// </summary>
        private void Products(int worker, int tiles, T* v, int* offsets, T* m)
        {
            if (gradOutput == null)
            {
                for (var xi = 0; xi < 16; xi++)
                    Multiply(xi, tiles, v, offsets, m);
                return;
            }
            fixed (T* sum = sums![worker])
            {
                for (var xi = 0; xi < 16; xi++)
                    Accumulate(xi, tiles, v, m, offsets, sum);
            }
        }

        /// <summary>
        /// <c>v[ξ][c][tile] = (Bᵀ d B)[ξ]</c> for the 4 × 4 patch d of each tile in tile rows [first, end) of one image
        /// and input channels [c0, c1), with Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1] (<see cref="TransformPlane"/>).
        /// </summary>
        private void TransformInput(int image, int first, int end, int c0, int c1, T* slab, T* v)
        {
            new Span<T>(slab, plan.LineLength).Clear();
            var lines = stackalloc nint[2 * plan.RowsPerBlock + 2];
            var size = (long)plan.Height * plan.Width;
            for (var c = c0; c < c1; c++)
            {
                var plane = input + ((long)image * plan.Channels + c) * size;
                TransformPlane(plane, c + 1 < c1 ? plane + size : null, first, end, slab, lines, v + (long)c * _pitch);
            }
        }

        /// <summary>
        /// V for the output planes [first, end) of one image of a 3-D convolution: each input channel's planes
        /// first − PadFront … end − PadFront + KernelDepth − 2 in its slots, side by side, a plane of the depth's zero
        /// padding as zeros, and each slot's lanes past its tiles zero (the GEMMs read them, and the output ignores them).
        /// </summary>
        private void TransformPlanes(int image, int first, int end, T* slab, T* v)
        {
            new Span<T>(slab, plan.LineLength).Clear();
            var lines = stackalloc nint[2 * plan.RowsPerBlock + 2];
            var (size, tiles, span) = ((long)plan.Height * plan.Width, plan.TileRows * plan.TileColumns, plan.PlaneTiles);
            var slots = end - first + plan.KernelDepth - 1;
            for (var c = 0; c < plan.Channels; c++)
            {
                var volume = input + ((long)image * plan.Channels + c) * plan.Depth * size;
                for (var slot = 0; slot < slots; slot++)
                {
                    var p = first + slot - plan.PadFront;
                    var to = v + (long)c * _pitch + (long)slot * span;
                    var inside = p >= 0 && p < plan.Depth;
                    if (inside)
                        TransformPlane(volume + p * size, p + 1 < plan.Depth ? volume + (p + 1) * size : null, 0, plan.TileRows, slab, lines, to);
                    // A padding plane is all zeros; a plane's own slot, from its last tile on.
                    var from = inside ? tiles : 0;
                    for (var xi = 0; from < span && xi < 16; xi++)
                        new Span<T>(to + xi * _inputStep + from, span - from).Clear();
                }
            }
        }

        /// <summary>
        /// V's tiles of tile rows [first, end) of one input plane, at <paramref name="destination"/> and on for each
        /// position, a vector of tiles at a time, while the rows of <paramref name="next"/> (if any) are asked for. A tile
        /// row's last vector runs past its tiles into the next row's first, which that row then writes over.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void TransformPlane(T* plane, T* next, int first, int end, T* slab, nint* lines, T* destination)
        {
            var (length, columns) = (plan.LineLength, plan.TileColumns);
            var step = _inputStep;
            if (next != null)
                Prefetch(next, 2 * first - plan.PadTop, 2 * end + 2 - plan.PadTop);
            // The block's padded rows 2·first … 2·end + 1, each laid out once (the zero rows as one line of zeros).
            for (var r = 0; r < 2 * (end - first) + 2; r++)
            {
                var row = 2 * first + r - plan.PadTop;
                lines[r] = row < 0 || row >= plan.Height ? (nint)slab : (nint)Line(plane + (long)row * plan.Width, plan.PadLeft, plan.Width, slab + (r + 1) * length);
            }
            for (var i = first; i < end; i++)
            {
                T* l0 = (T*)lines[2 * (i - first)], l1 = (T*)lines[2 * (i - first) + 1], l2 = (T*)lines[2 * (i - first) + 2], l3 = (T*)lines[2 * (i - first) + 3];
                var at = destination + (i - first) * columns;
                for (var j = 0; j < columns; j += V.Count)
                {
                    // w = d B, row by row: the patch's columns are the even and odd elements from 2j and from 2j + 2.
                    Columns(l0 + 2 * j, out var w00, out var w01, out var w02, out var w03);
                    Columns(l1 + 2 * j, out var w10, out var w11, out var w12, out var w13);
                    Columns(l2 + 2 * j, out var w20, out var w21, out var w22, out var w23);
                    Columns(l3 + 2 * j, out var w30, out var w31, out var w32, out var w33);
                    var to = at + j;
                    Rows(w00, w10, w20, w30, to, 0 * step, 4 * step, 8 * step, 12 * step);
                    Rows(w01, w11, w21, w31, to, 1 * step, 5 * step, 9 * step, 13 * step);
                    Rows(w02, w12, w22, w32, to, 2 * step, 6 * step, 10 * step, 14 * step);
                    Rows(w03, w13, w23, w33, to, 3 * step, 7 * step, 11 * step, 15 * step);
                }
            }
        }

        /// <summary>
        /// Zeros lanes [<paramref name="count"/>, <paramref name="tiles"/>) of <paramref name="rows"/> rows of V or M at
        /// each of the 16 positions, <paramref name="step"/> apart.
        /// </summary>
        private void ClearTail(T* buffer, int rows, int count, int tiles, long step)
        {
            for (var xi = 0; count < tiles && xi < 16; xi++)
            {
                for (var r = 0; r < rows; r++)
                    new Span<T>(buffer + xi * step + (long)r * _pitch + count, tiles - count).Clear();
            }
        }

        /// <summary>
        /// Asks for input rows [<paramref name="first"/>, <paramref name="end"/>) of the next channel while this one's are
        /// transformed: a block reads a few rows from each of many planes, which the hardware prefetchers do not follow.
        /// </summary>
        private void Prefetch(T* plane, int first, int end)
        {
            if (!Sse.IsSupported)
                return;
            T* from = plane + (long)Math.Max(0, first) * plan.Width, to = plane + (long)Math.Min(plan.Height, end) * plan.Width;
            for (var p = from; p < to; p += CacheLine.Bytes / sizeof(T))
                Sse.Prefetch0(p);
        }

        /// <summary>
        /// A row of <paramref name="width"/> laid out from padded column 0 into <paramref name="line"/>:
        /// <paramref name="left"/> zeros, the row, zeros up to the line's end. Returns the line.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private T* Line(T* source, int left, int width, T* line)
        {
            var length = plan.LineLength;
            var x = 0;
            for (; x < Math.Min(left, length); x++)
                line[x] = T.Zero;
            var to = line + left;
            var copied = 0;
            for (; copied + V.Count <= width && left + copied + V.Count <= length; copied += V.Count)
                V.Store(V.Load(source + copied), to + copied);
            for (; copied < width && left + copied < length; copied++)
                to[copied] = source[copied];
            for (x = left + copied; x < length; x++)
                line[x] = T.Zero;
            return line;
        }

        /// <summary>
        /// <c>w[ξ][o][tile] = (A e Aᵀ)[ξ]</c> for the 2 × 2 block e of gradOutput under each tile in tile rows
        /// [first, end) of one image (zeros past the output's edge), with A = [1 0; 1 1; 1 −1; 0 −1], a vector of tiles
        /// at a time; the lanes past the block's last tile that its vectors reach come out zero, from the zeros past the
        /// rows' ends (any beyond those, the caller clears: <see cref="ClearTail"/>).
        /// </summary>
        private void TransformGradOutput(int image, int first, int end, T* slab, T* w)
        {
            new Span<T>(slab, plan.LineLength).Clear();
            for (var o = 0; o < plan.Outputs; o++)
                GradOutputRows(gradOutput + ((long)image * plan.Outputs + o) * plan.OutHeight * plan.OutWidth, first, end, slab, w + (long)o * _pitch);
        }

        /// <summary>
        /// The transformed gradOutput of the output planes [first, end) of one image of a 3-D convolution, each plane's
        /// tiles at its slot of the block (as <see cref="TransformOutputPlanes"/> reads M), each slot's lanes past its tiles zero.
        /// </summary>
        private void TransformGradOutputPlanes(int image, int first, int end, T* slab, T* w)
        {
            new Span<T>(slab, plan.LineLength).Clear();
            var (size, tiles, span, step) = ((long)plan.OutHeight * plan.OutWidth, plan.TileRows * plan.TileColumns, plan.PlaneTiles, OutputStep(plan.Panels * GemmTile.Rows));
            for (var o = 0; o < plan.Outputs; o++)
            {
                var volume = gradOutput + ((long)image * plan.Outputs + o) * plan.OutDepth * size;
                for (var d = first; d < end; d++)
                {
                    var to = w + (long)o * _pitch + (long)(d - first) * span;
                    GradOutputRows(volume + d * size, 0, plan.TileRows, slab, to);
                    for (var xi = 0; tiles < span && xi < 16; xi++)
                        new Span<T>(to + xi * step + tiles, span - tiles).Clear();
                }
            }
        }

        /// <summary>
        /// <c>(A e Aᵀ)[ξ]</c> for the tiles of tile rows [first, end) of one gradOutput plane, at
        /// <paramref name="destination"/> and on for each position; <paramref name="slab"/> starts with a line of zeros.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void GradOutputRows(T* plane, int first, int end, T* slab, T* destination)
        {
            var (length, columns, n) = (plan.LineLength, plan.TileColumns, V.Count);
            var step = OutputStep(plan.Panels * GemmTile.Rows);
            for (var i = first; i < end; i++)
            {
                T* top = Line(plane + (long)2 * i * plan.OutWidth, 0, plan.OutWidth, slab + length);
                T* bottom = 2 * i + 1 < plan.OutHeight ? Line(plane + (long)(2 * i + 1) * plan.OutWidth, 0, plan.OutWidth, slab + 2 * length) : slab;
                var at = destination + (i - first) * columns;
                for (var j = 0; j < columns; j += n)
                {
                    V a = V.Load(top + 2 * j), b = V.Load(top + 2 * j + n), c = V.Load(bottom + 2 * j), d = V.Load(bottom + 2 * j + n);
                    V e00 = V.Evens(a, b), e01 = V.Odds(a, b), e10 = V.Evens(c, d), e11 = V.Odds(c, d);
                    var to = at + j;
                    // A e: rows (e0, e0 + e1, e0 − e1, −e1); then each row (x, y) times Aᵀ: (x, x + y, x − y, −y).
                    Spread(e00, e01, to, 0, step);
                    Spread(V.Add(e00, e10), V.Add(e01, e11), to, 4, step);
                    Spread(V.Subtract(e00, e10), V.Subtract(e01, e11), to, 8, step);
                    Spread(V.Subtract(V.Zero, e10), V.Subtract(V.Zero, e11), to, 12, step);
                }
            }
        }

        /// <summary>A row (x, y) of A e times Aᵀ, stored at positions ξ … ξ + 3: (x, x + y, x − y, −y).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Spread(V x, V y, T* to, int xi, long step)
        {
            V.Store(x, to + xi * step);
            V.Store(V.Add(x, y), to + (xi + 1) * step);
            V.Store(V.Subtract(x, y), to + (xi + 2) * step);
            V.Store(V.Subtract(V.Zero, y), to + (xi + 3) * step);
        }

        /// <summary>
        /// <c>sum[ξ][o][k] += Σ_tile w[ξ][o][tile] · v[ξ][k][tile]</c> over the block's <paramref name="tiles"/> (whole
        /// vectors, zero in both past the last tile), row k of the GEMMs' depth at <paramref name="columnOffsets"/>[k] in V
        /// (<see cref="DepthOffsets"/>): blocks of dot products (<see cref="DotTile"/>), single ones at the edges.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Accumulate(int xi, int tiles, T* v, T* w, int* columnOffsets, T* sum)
        {
            var (rows, columns) = (plan.Outputs, plan.GemmDepth);
            var go = w + xi * OutputStep(plan.Panels * GemmTile.Rows);
            var b = v + xi * _inputStep;
            var gw = sum + (long)xi * rows * columns;
            var spans = stackalloc int[2] { 0, tiles };
            var offsets = stackalloc int[DotTile.Columns];
            var o = 0;
            for (; o + TileRowsPerCall <= rows; o += TileRowsPerCall)
            {
                var c = 0;
                for (; c + DotTile.Columns <= columns; c += DotTile.Columns)
                {
                    (offsets[0], offsets[1], offsets[2]) = (columnOffsets[c], columnOffsets[c + 1], columnOffsets[c + 2]);
                    if (TileRowsPerCall == EightRows.Count)
                        DotTile.Run<T, V, EightRows>(go + (long)o * _pitch, _pitch, b, offsets, spans, 1, -1, gw + (long)o * columns + c, columns, null);
                    else
                        DotTile.Run<T, V, FourRows>(go + (long)o * _pitch, _pitch, b, offsets, spans, 1, -1, gw + (long)o * columns + c, columns, null);
                }
                for (; c < columns; c++)
                {
                    for (var r = o; r < o + TileRowsPerCall; r++)
                        gw[(long)r * columns + c] += DotTile.Dot<T, V>(go + (long)r * _pitch, b + columnOffsets[c], tiles);
                }
            }
            for (; o < rows; o++)
            {
                for (var c = 0; c < columns; c++)
                    gw[(long)o * columns + c] += DotTile.Dot<T, V>(go + (long)o * _pitch, b + columnOffsets[c], tiles);
            }
        }

        /// <summary>One patch row times B for a vector of tiles: (d0 − d2, d1 + d2, d2 − d1, d1 − d3).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Columns(T* p, out V w0, out V w1, out V w2, out V w3)
        {
            var n = V.Count;
            V a = V.Load(p), b = V.Load(p + n), c = V.Load(p + 2), d = V.Load(p + 2 + n);
            V d0 = V.Evens(a, b), d1 = V.Odds(a, b), d2 = V.Evens(c, d), d3 = V.Odds(c, d);
            (w0, w1, w2, w3) = (V.Subtract(d0, d2), V.Add(d1, d2), V.Subtract(d2, d1), V.Subtract(d1, d3));
        }

        /// <summary>Bᵀ times one column of w, stored at the four positions of that column.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Rows(V w0, V w1, V w2, V w3, T* to, long s0, long s1, long s2, long s3)
        {
            V.Store(V.Subtract(w0, w2), to + s0);
            V.Store(V.Add(w1, w2), to + s1);
            V.Store(V.Subtract(w2, w1), to + s2);
            V.Store(V.Subtract(w1, w3), to + s3);
        }

        /// <summary><c>m[ξ] = U[ξ] · v[ξ]</c> over the block's <paramref name="tiles"/>, in panels of three vectors of tiles.</summary>
        private void Multiply(int xi, int tiles, T* v, int* offsets, T* m) =>
            Multiply(kernels + xi * plan.KernelStride, plan.Panels, v + xi * _inputStep, offsets, tiles, m + xi * OutputStep(plan.Panels * GemmTile.Rows));

        /// <summary>
        /// <c>c = a · b</c> for <paramref name="panels"/> row panels of <paramref name="a"/> (a U, row-major) over
        /// <paramref name="tiles"/> of <paramref name="b"/> (a V), in panels of three vectors of tiles.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Multiply(T* a, int panels, T* b, int* offsets, int tiles, T* c)
        {
            var depth = plan.GemmDepth;
            for (var j = 0; j < tiles; j += GemmTile.Vectors * V.Count)
            {
                var vectors = Math.Min(GemmTile.Vectors, (tiles - j) / V.Count);
                T* b0 = b + j, b1 = b0 + V.Count, b2 = b1 + V.Count;
                for (var p = 0; p < panels; p++)
                {
                    for (var h = 0; h < GemmTile.Rows; h += TileRowsPerCall)
                    {
                        var ap = a + (long)(p * GemmTile.Rows + h) * depth;
                        var cp = c + (long)(p * GemmTile.Rows + h) * _pitch + j;
                        var store = new BlockStore<T, V>(cp, _pitch);
                        if (TileRowsPerCall == EightRows.Count)
                            Tile<EightRows>(vectors, ap, b0, b1, b2, offsets, depth, cp, ref store);
                        else
                            Tile<FourRows>(vectors, ap, b0, b1, b2, offsets, depth, cp, ref store);
                    }
                }
            }
        }

        private void Tile<R>(int vectors, T* a, T* b0, T* b1, T* b2, int* offsets, int depth, T* c, ref BlockStore<T, V> store)
            where R : struct, ITileRows
        {
            if (vectors == 3)
                GemmTile.Run<T, V, R, ThreeVectors, BlockStore<T, V>, StridedRows>(a, depth, b0, b1, b2, offsets, depth, c, _pitch, false, ref store);
            else if (vectors == 2)
                GemmTile.Run<T, V, R, TwoVectors, BlockStore<T, V>, StridedRows>(a, depth, b0, b1, b2, offsets, depth, c, _pitch, false, ref store);
            else
                GemmTile.Run<T, V, R, OneVector, BlockStore<T, V>, StridedRows>(a, depth, b0, b1, b2, offsets, depth, c, _pitch, false, ref store);
        }

        /// <summary>
        /// <c>y = Aᵀ m A</c> + bias for each tile of tile rows [first, end) of one image and output channels [o0, o1)
        /// (<see cref="OutputRows"/>).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void TransformOutput(int image, int first, int end, T* m, int o0, int o1, long step)
        {
            var last = stackalloc T[2 * V.Count];
            for (var o = o0; o < o1; o++)
            {
                var plane = output + ((long)image * plan.Outputs + o) * plan.OutHeight * plan.OutWidth;
                OutputRows(plane, m + (long)(o - o0) * _pitch, first, end, Bias(o), step, last);
            }
        }

        /// <summary>The outputs of a block of 3-D output planes [first, end) of one image, every output channel.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void TransformOutputPlanes(int image, int first, int end, T* m, long step)
        {
            var last = stackalloc T[2 * V.Count];
            var size = (long)plan.OutHeight * plan.OutWidth;
            for (var o = 0; o < plan.Outputs; o++)
            {
                var b = Bias(o);
                var volume = output + ((long)image * plan.Outputs + o) * plan.OutDepth * size;
                for (var d = first; d < end; d++)
                    OutputRows(volume + d * size, m + (long)o * _pitch + (long)(d - first) * plan.PlaneTiles, 0, plan.TileRows, b, step, last);
            }
        }

        private V Bias(int o) => V.Broadcast(bias == null ? T.Zero : bias[o]);

        /// <summary>
        /// <c>y = Aᵀ m A</c> + <paramref name="b"/> for the tiles of tile rows [first, end) of one output plane, whose
        /// first position's products start at <paramref name="row"/>, with Aᵀ = [1 1 1 0; 0 1 −1 −1], written as the
        /// plane's rows 2i and 2i + 1 (the second where the output has it), the two columns of a vector of tiles interleaved.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void OutputRows(T* plane, T* row, int first, int end, V b, long step, T* last)
        {
            var columns = plan.TileColumns;
            for (var i = first; i < end; i++)
            {
                var at = row + (i - first) * columns;
                for (var j = 0; j < columns; j += V.Count)
                {
                    var p = at + j;
                    // t = Aᵀ m, column by column: (m0 + m1 + m2, m1 − m2 − m3).
                    Fold(p, 0, step, out var t00, out var t10);
                    Fold(p, 1, step, out var t01, out var t11);
                    Fold(p, 2, step, out var t02, out var t12);
                    Fold(p, 3, step, out var t03, out var t13);
                    var y00 = V.Add(V.Add(V.Add(t00, t01), t02), b);
                    var y01 = V.Add(V.Subtract(V.Subtract(t01, t02), t03), b);
                    var y10 = V.Add(V.Add(V.Add(t10, t11), t12), b);
                    var y11 = V.Add(V.Subtract(V.Subtract(t11, t12), t13), b);
                    var count = Math.Min(2 * V.Count, plan.OutWidth - 2 * j);
                    Write(y00, y01, plane + (long)2 * i * plan.OutWidth + 2 * j, count, last);
                    if (2 * i + 1 < plan.OutHeight)
                        Write(y10, y11, plane + (long)(2 * i + 1) * plan.OutWidth + 2 * j, count, last);
                }
            }
        }

        /// <summary>Column k of Aᵀ m: its rows are positions k, 4 + k, 8 + k, 12 + k.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Fold(T* p, int k, long step, out V top, out V bottom)
        {
            var (m0, m1, m2, m3) = (V.Load(p + k * step), V.Load(p + (4 + k) * step), V.Load(p + (8 + k) * step), V.Load(p + (12 + k) * step));
            top = V.Add(V.Add(m0, m1), m2);
            bottom = V.Subtract(V.Subtract(m1, m2), m3);
        }

        /// <summary>The <paramref name="count"/> first of the interleaved columns; a short run by way of <paramref name="last"/>, stored masked.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Write(V left, V right, T* to, int count, T* last)
        {
            if (count == 2 * V.Count)
            {
                V.StoreInterleaved(left, right, to);
                return;
            }
            V.StoreInterleaved(left, right, last);
            V.StoreMasked(V.Load(last), to, V.Lanes(0, count));
            if (count > V.Count)
                V.StoreMasked(V.Load(last + V.Count), to + V.Count, V.Lanes(0, count - V.Count));
        }
    }
}
