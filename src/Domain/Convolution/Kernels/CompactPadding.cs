using System.Runtime.Intrinsics;
using ConvService.Domain.Geometry;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// A zero-padded input laid out so that neighbouring rows share their zeros: along every axis the data is followed by
/// <c>max(padBegin, padEnd)</c> zero cells rather than preceded and followed by padBegin + padEnd, so that axis's pitch is
/// <c>P = input + max(padBegin, padEnd)</c>. A tap that reaches left of a row's data lands in the zeros after the row
/// before it (or, before the first, in <see cref="Lead"/> zeros), one that reaches right of it in the row's own. At stride
/// 1 the virtual pixels (<see cref="PixelGrid"/>) then cost <c>(P − output)/P</c> instead of <c>(input + padBegin +
/// padEnd − output)/(…)</c> per axis: S3's 14² with padding 1 computes 209 virtual pixels per plane, not 222; S4's 28²
/// with padding 2, 838 rather than 892. Each output's sum runs over the same taps in the same order, so the answers are
/// the same bit for bit. The layout works in any dimensionality; the forward pass takes it in 2-D (<see cref="Takes"/>).
/// </summary>
internal static class CompactPadding
{
    /// <summary>
    /// Whether the forward pass takes the layout where it <see cref="Fits"/>: always, but in the benchmarks' alternating
    /// comparison (<c>--pass SHAPE forward SECONDS alternate</c>), which times it against the padded layout call by call
    /// in one process, so that a busy host's drift and the JIT's choices fall on both alike.
    /// </summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>
    /// Whether the forward pass reads <paramref name="g"/>'s input laid out this way: where it <see cref="Fits"/>, in 2-D.
    /// Measured on Zen 3 by the alternating comparison (the padded layout's time over this one's, at the 10th percentile
    /// and the median of each, above 1 where this is faster): float32 S3 1.065–1.072 in three runs, S4 1.00–1.06 in four
    /// (0.79–0.81 in one more), S2 1.02–1.04, S1 1.005–1.008; float64 0.97–1.01. In 3-D, before this rule, S6 ran
    /// 0.95–0.99 in float32 over four runs (float64 1.00) though it computes 10% fewer pixels, so 3-D keeps the padded layout.
    /// Nor where the padded layout's rows are whole 512-bit vectors of float32 (<see cref="RowsAreVectors"/>).
    /// </summary>
    public static bool Takes(ConvGeometry g, int elementSize) => Enabled && g.SpatialDims == 2 && Fits(g) && !RowsAreVectors(g, elementSize);

    /// <summary>
    /// Whether the padded layout's rows are whole 512-bit vectors of float32 (S4: 28 + 4 = 32 columns), so that each
    /// vector of its virtual pixels lies in one output row and takes one store, where this layout's shorter rows (S4: 30)
    /// split about half of them over two rows, two masked stores each; with depths as short as S4's 25 that costs more
    /// than the padded layout's 7% more multiply-adds. On Zen 5, alternating (the padded layout's time over this one's,
    /// medians): S4 0.90–0.92 in four runs, 8 × 1 × 28² k5 → 32 0.90, 32 × 3 × 28² k5 → 32 0.96, 16 × 8 × 30² k3 → 16
    /// 0.96–0.98, 8 × 8 × 60² k5 → 8 0.83; but float64 S4 1.05–1.09 and, on Zen 3's AVX2, float32 S4 1.00–1.06 (above).
    /// </summary>
    private static bool RowsAreVectors(ConvGeometry g, int elementSize) =>
        Vector512.IsHardwareAccelerated && elementSize == sizeof(float) && g.Axes[^1].PaddedInput % (64 / sizeof(float)) == 0;

    /// <summary>
    /// Whether the input gradient's full convolution <paramref name="full"/> (<see cref="FullConvolution"/>) reads
    /// gradOutput laid out this way: wherever it <see cref="Fits"/>, in 3-D too, for its padding is the kernel's whole
    /// reach on both sides where the convolution's own is narrow. Alternating on Zen 3: S2's data pass 1.03–1.08 in
    /// float32 and 1.05–1.07 in float64, its whole backward pass 1.02–1.03 in float32; float64 S3's data pass 0.99–1.01
    /// (0.94–0.96 before its channels were skewed, see <see cref="ChannelLength"/>); S6's data pass over its padded input
    /// (gradOutput padded by 2 on every side) 1.18–1.21 in float32, and its backward pass, whose full convolution
    /// computes only the input's cells (padding 1), 0.99–1.00; float64 S5's stride phases 0.99–1.03.
    /// </summary>
    public static bool TakesGradOutput(ConvGeometry full) => Enabled && Fits(full);

    /// <summary>
    /// Whether <paramref name="g"/>'s input can be laid out this way for the forward pass: zero padding, stride 1 on
    /// every axis, every axis's outputs within its pitch (a padding no larger on its smaller side than the dilated
    /// kernel's reach), and fewer virtual pixels than the padded layout's (not in 1-D, whose single row gains nothing).
    /// </summary>
    public static bool Fits(ConvGeometry g) =>
        g.PaddingMode == PaddingMode.Zeros
        && g.Axes.All(axis => axis.Stride == 1 && axis.Output <= Pitch(axis))
        && Grid(g).Length < PixelGrid.Of(g).Length;

    /// <summary>P: the data, then the zeros both neighbours' taps share.</summary>
    private static int Pitch(WindowAxis axis) => axis.Input + Math.Max(axis.PadBegin, axis.PadEnd);

    /// <summary>How far apart consecutive cells of axis <paramref name="a"/> lie: Π P of the axes inside it.</summary>
    private static int Step(ConvGeometry g, int a)
    {
        var step = 1;
        for (var b = g.SpatialDims - 1; b > a; b--)
            step *= Pitch(g.Axes[b]);
        return step;
    }

    /// <summary>
    /// One channel's cells: Π P, and <see cref="Skew"/> more zeros where Π P is a multiple of 64 elements. Channels whose
    /// starts lie a multiple of 256 bytes apart share few of L1's sets, and a depth block reads a row or three in each of
    /// some twenty channels: float64 S3's input gradient (16² cells, 2 KiB a channel) ran 0.94–0.96× over this layout
    /// until its channels were skewed, and S3's own forward pass (16² padded, 1 KiB) gained more from the compact layout
    /// (225 cells) than its pixels saved. The cells after a channel's last row are zeros that only a tap reaching past
    /// the next channel's first row reads, so any number of them keeps the layout sound.
    /// </summary>
    private static int ChannelLength(ConvGeometry g) => Cells(g) + (Cells(g) % 64 == 0 ? Skew : 0);

    /// <summary>Π P: a channel's rows.</summary>
    private static int Cells(ConvGeometry g) => Step(g, -1);

    private const int Skew = 8;

    /// <summary>Zeros before the first channel: the reach of the first output's taps left of the data on every axis.</summary>
    private static int Lead(ConvGeometry g)
    {
        var lead = 0;
        for (var a = 0; a < g.SpatialDims; a++)
            lead += g.Axes[a].PadBegin * Step(g, a);
        return lead;
    }

    /// <summary>Elements of the laid-out input: the lead, then N·C channels.</summary>
    public static long Length(ConvGeometry g) => Lead(g) + (long)g.Batch * g.InChannels * ChannelLength(g);

    /// <summary>The outputs as virtual pixels of one channel: output i at <c>Σ_a i_a·Step(a)</c>.</summary>
    public static PixelGrid Grid(ConvGeometry g)
    {
        var d = g.SpatialDims;
        var (sizes, pitches) = (new int[d - 1], new int[d - 1]);
        for (var a = 0; a < d - 1; a++)
            (sizes[a], pitches[a]) = (g.Axes[a].Output, Step(g, a));
        return new PixelGrid(sizes, pitches, g.Axes[d - 1].Output, 1, ChannelLength(g), Pitch(g.Axes[d - 1]));
    }

    /// <summary>
    /// offsets[k], k = (c·K₀ + p₀)·K₁ + … (the kernel's own order): where tap k of virtual pixel 0 lies from the group's
    /// first channel, <c>Lead + c·ChannelLength + Σ_a (p_a·dilation_a − padBegin_a)·Step(a)</c>, never negative.
    /// </summary>
    public static void TapOffsets(ConvGeometry g, Span<int> offsets)
    {
        var axes = g.Axes;
        var (taps, lead, channel) = (g.Windows.KernelCells, Lead(g), ChannelLength(g));
        for (var k = 0; k < taps; k++)
        {
            var (rest, offset) = (k, lead);
            for (var a = axes.Length - 1; a >= 0; a--)
            {
                offset += (rest % axes[a].Kernel * axes[a].Dilation - axes[a].PadBegin) * Step(g, a);
                rest /= axes[a].Kernel;
            }
            for (var c = 0; c < g.InChannelsPerGroup; c++)
                offsets[c * taps + k] = c * channel + offset;
        }
    }

    /// <summary>
    /// Writes <paramref name="input"/> (N, C, sizes…) into <paramref name="destination"/> (<see cref="Length"/> elements)
    /// laid out as above, every other cell zero: each cell written once, channels in parallel.
    /// </summary>
    public static unsafe void Lay<T, V>(ReadOnlySpan<T> input, ConvGeometry g, Span<T> destination)
        where T : unmanaged
        where V : struct, ISimd<V, T>
    {
        var d = g.SpatialDims;
        var (lead, channel, planes) = (Lead(g), ChannelLength(g), g.Batch * g.InChannels);
        var (width, pitch) = (g.Axes[d - 1].Input, Pitch(g.Axes[d - 1]));
        var (inputs, pitches) = (new int[d - 1], new int[d - 1]);
        for (var a = 0; a < d - 1; a++)
            (inputs[a], pitches[a]) = (g.Axes[a].Input, Pitch(g.Axes[a]));
        var plane = g.Axes.Aggregate(1, (cells, axis) => cells * axis.Input);
        var rows = Cells(g) / pitch;
        ArgumentOutOfRangeException.ThrowIfLessThan(input.Length, planes * plane, nameof(input));
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Length(g), nameof(destination));
        destination[..lead].Clear();
        fixed (T* source = input, target = destination)
        {
            var (from, to) = ((nint)source, (nint)(target + lead));
            ParallelSplit.Ranges(planes, 2L * planes * channel, (first, end) =>
            {
                var digits = new int[d - 1];
                for (var p = first; p < end; p++)
                {
                    var src = (T*)from + (long)p * plane;
                    var dst = (T*)to + (long)p * channel;
                    digits.AsSpan().Clear();
                    for (var r = 0; r < rows; r++, dst += pitch)
                    {
                        // Row r's digits over the outer axes (innermost last); a data row while every digit is within the input.
                        var data = true;
                        for (var a = 0; a < d - 1; a++)
                            data &= digits[a] < inputs[a];
                        // Rows are short (S3's 14, S4's 28): whole vectors, the last one flush with the row's end, then the zeros
                        // after it; a row narrower than a vector (S3's 14 floats in 512 bits) by narrower vectors.
                        var x = 0;
                        if (data)
                        {
                            if (width >= V.Count)
                            {
                                for (; x + V.Count <= width; x += V.Count)
                                    V.Store(V.Load(src + x), dst + x);
                                V.Store(V.Load(src + width - V.Count), dst + width - V.Count);
                            }
                            else
                            {
                                Padding.CopyRow(src, dst, width);
                            }
                            x = width;
                            src += width;
                        }
                        for (; x + V.Count <= pitch; x += V.Count)
                            V.Store(V.Zero, dst + x);
                        for (; x < pitch; x++)
                            dst[x] = default;
                        for (var a = d - 2; a >= 0 && ++digits[a] == pitches[a]; a--)
                            digits[a] = 0;
                    }
                    new Span<T>(dst, channel - rows * pitch).Clear();
                }
            });
        }
    }
}
