using System.Buffers;
using ConvService.Domain.Geometry;
using System.Runtime.CompilerServices;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// The padded input split by stride phase along every axis that steps by s_a &gt; 1: padded index x = j·s + φ moves to
/// phase φ, index j. Each channel becomes Π s_a phase volumes of the sizes P′_a = ⌈P_a/s_a⌉ (zeros where a phase runs
/// short), so tap p of axis a lies in phase (p·dilation) mod s at offset (p·dilation) div s, and the convolution over
/// them steps by 1 on every axis: its virtual pixels are the outputs again, not s − 1 skipped cells in every s. The
/// forward pass then reads B in place where it would otherwise gather each tap's outputs (S5), and the kernel gradient
/// sums along dense rows (it ran at half its data gradient's speed at stride 2).
/// </summary>
internal static unsafe class StridePhases
{
    /// <summary>Whether the kernel gradient should sum over the phases: the last axis steps by more than one.</summary>
    public static bool ForKernelGradient(ConvGeometry g) => g.Axes[^1].Stride > 1;

    /// <summary>
    /// Whether the forward pass and the input gradient should run over the phases: some axis is strided, and on every
    /// strided axis the kernel reaches every phase (a 1×1 kernel at stride 2 would copy four phases to use one).
    /// </summary>
    public static bool Helps(ConvGeometry g) =>
        g.Axes.Any(axis => axis.Stride > 1) && g.Axes.All(axis => axis.Stride == 1 || axis.DilatedKernel >= axis.Stride);

    /// <summary>P′_a, the length of axis a in a phase volume.</summary>
    internal static int Size(WindowAxis axis) => (int)((axis.PaddedInput + axis.Stride - 1) / axis.Stride);

    /// <summary>Elements of one phase volume: Π P′_a.</summary>
    internal static int VolumeLength(ConvGeometry g) => g.Axes.Aggregate(1, (length, axis) => length * Size(axis));

    /// <summary>Phases per channel: Π s_a.</summary>
    internal static int Count(ConvGeometry g) => g.Axes.Aggregate(1, (phases, axis) => phases * axis.Stride);

    /// <summary>Elements per channel: Π s_a phase volumes.</summary>
    private static int ChannelLength(ConvGeometry g) => Count(g) * VolumeLength(g);

    /// <summary>Elements of the whole split input, N·C channels.</summary>
    public static long Length(ConvGeometry g) => (long)g.Batch * g.InChannels * ChannelLength(g);

    /// <summary>The virtual pixels over one phase volume: every axis at step 1.</summary>
    public static PixelGrid Grid(ConvGeometry g)
    {
        var axes = g.Axes;
        var d = axes.Length;
        var (sizes, pitches) = (new int[d - 1], new int[d - 1]);
        var inner = Size(axes[d - 1]);
        for (var a = d - 2; a >= 0; a--)
        {
            (sizes[a], pitches[a]) = (axes[a].Output, inner);
            inner *= Size(axes[a]);
        }
        return new PixelGrid(sizes, pitches, axes[d - 1].Output, 1, ChannelLength(g), Size(axes[d - 1]));
    }

    /// <summary>How far past virtual pixel v a col2im over the phases writes within one phase volume: the largest in-phase offset.</summary>
    public static int Reach(ConvGeometry g)
    {
        var (reach, inner) = (0, 1);
        for (var a = g.Axes.Length - 1; a >= 0; a--)
        {
            reach += (g.Axes[a].Kernel - 1) * g.Axes[a].Dilation / g.Axes[a].Stride * inner;
            inner *= Size(g.Axes[a]);
        }
        return reach;
    }

    /// <summary>
    /// offsets[k] for tap k = (c·K₀ + p₀)·K₁ + … (the kernel's order): <c>c·channel + phase·volume + Σ_a (p_a·dilation_a div s_a)·pitch′_a</c>,
    /// the phase numbered row-major over the axes' phases (p_a·dilation_a) mod s_a.
    /// </summary>
    public static void TapOffsets(ConvGeometry g, Span<int> offsets)
    {
        var axes = g.Axes;
        var taps = g.Windows.KernelCells;
        var (volume, channel) = (VolumeLength(g), ChannelLength(g));
        for (var k = 0; k < taps; k++)
        {
            // k's digits over the kernel axes, innermost first; phases numbered with the innermost axis fastest.
            var (rest, offset, inner, phase, phases) = (k, 0, 1, 0, 1);
            for (var a = axes.Length - 1; a >= 0; a--)
            {
                var position = rest % axes[a].Kernel * axes[a].Dilation;
                offset += position / axes[a].Stride * inner;
                phase += position % axes[a].Stride * phases;
                (rest, inner, phases) = (rest / axes[a].Kernel, inner * Size(axes[a]), phases * axes[a].Stride);
            }
            for (var c = 0; c < g.InChannelsPerGroup; c++)
                offsets[c * taps + k] = c * channel + phase * volume + offset;
        }
    }

    /// <summary>
    /// <paramref name="split"/> = <paramref name="padded"/> (N, C, padded sizes…) split by phase on every axis; the cells
    /// no padded cell lands on (a phase that runs short) are zero, so that sums over virtual pixels stay finite.
    /// <paramref name="byBands"/>: each worker splits the same band of rows in every channel, as the forward pass's
    /// GEMM shares out the pixel blocks that read them (<see cref="TaskShares"/>: the first worker the first half), so
    /// that most of what a worker reads it wrote itself; else a range of channels each, as the kernel gradient shares out
    /// its input channels. By turns in a slow stretch of this VM's (see TaskShares), S5's forward pass by bands ran
    /// 1.03–1.08× faster, its backward pass 0.93×: so each pass the way its reader goes.
    /// </summary>
    public static void Split<T, V>(ReadOnlySpan<T> padded, ConvGeometry g, Span<T> split, bool byBands)
        where T : unmanaged
        where V : struct, ISimd<V, T> =>
        SplitRows<T, V>(padded, g, split, isPadded: true, byBands);

    /// <summary>
    /// As <see cref="Split{T, V}"/>, from the unpadded input (N, C, sizes…) of a
    /// zero-padded convolution: the split writes the padding's zeros itself, so the input is read once and no padded
    /// copy is made (S5's forward pass spent 4–5% of its time padding, as much as splitting).
    /// </summary>
    public static void SplitZeroPadded<T, V>(ReadOnlySpan<T> input, ConvGeometry g, Span<T> split, bool byBands)
        where T : unmanaged
        where V : struct, ISimd<V, T>
    {
        if (g.PaddingMode != PaddingMode.Zeros)
            throw new ArgumentException($"only zero padding can be split unpadded, not {g.PaddingMode}", nameof(g));
        SplitRows<T, V>(input, g, split, isPadded: false, byBands);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SplitRows<T, V>(ReadOnlySpan<T> source, ConvGeometry g, Span<T> split, bool isPadded, bool byBands)
        where T : unmanaged
        where V : struct, ISimd<V, T>
    {
        var axes = g.Axes;
        for (var a = 0; a < axes.Length - 1; a++)
        {
            if (axes[a].PaddedInput % axes[a].Stride != 0)
            {
                split.Clear();
                break;
            }
        }
        var rows = new PaddedRows(g, phaseMajor: false);
        var (s, width, volume) = (rows.Stride, rows.Width, rows.PhasePitch);
        // A padded row's cells x come from the source row's x − shift, where that lies in it (else they are zeros).
        var (length, shift) = isPadded ? (rows.Pitch, 0) : (axes[^1].Input, axes[^1].PadBegin);
        try
        {
            fixed (T* from = source, to = split)
            {
                T* input = from, destination = to;
                // By bands of rows (see Split), but a 1-D input (one row a channel) by channels; else by ranges of rows in order.
                var channels = rows.Count / rows.PerChannel;
                if (byBands && rows.PerChannel > 1)
                {
                    ParallelSplit.Ranges(rows.PerChannel, (long)rows.Count * rows.Pitch, (first, end) =>
                    {
                        for (var channel = 0; channel < channels; channel++)
                        {
                            for (var within = first; within < end; within++)
                                SplitOne(channel * rows.PerChannel + within, channel, within);
                        }
                    });
                    return;
                }
                ParallelSplit.Ranges(rows.Count, (long)rows.Count * rows.Pitch, (first, end) =>
                {
                    var (channel, within) = Math.DivRem(first, rows.PerChannel);
                    for (var row = first; row < end; row++, within++)
                    {
                        if (within == rows.PerChannel)
                            (channel, within) = (channel + 1, 0);
                        SplitOne(row, channel, within);
                    }
                });

                // Row `within` of the channel, `row` in all: its phase rows, one per column phase.
                void SplitOne(int row, int channel, int within)
                {
                    var offset = isPadded ? (long)row * rows.Pitch : rows.InputRow(channel, within);
                    var output = destination + rows.PhaseRow(channel, within);
                    for (var column = 0; column < s; column++, output += volume)
                        SplitRow<T, V>(offset < 0 ? null : input + offset, length, column - shift, s, output, width);
                }
            }
        }
        finally
        {
            rows.Return();
        }
    }

    /// <summary>
    /// <c>output[j] = row[j·s + first]</c> where that lies in [0, <paramref name="length"/>), else zero (all zeros for a
    /// null row), for j &lt; <paramref name="width"/>; at s = 2 a vector at a time from two loads, where both lie in the row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SplitRow<T, V>(T* row, int length, int first, int s, T* output, int width)
        where T : unmanaged
        where V : struct, ISimd<V, T>
    {
        var j = 0;
        if (row != null)
        {
            for (; j < width && j * s + first < 0; j++)
                output[j] = default;
            if (s == 2)
            {
                for (; j + V.Count <= width && 2 * (j + V.Count) + first <= length; j += V.Count)
                    V.Store(V.Evens(V.Load(row + 2 * j + first), V.Load(row + 2 * j + first + V.Count)), output + j);
            }
            for (; j < width && j * s + first < length; j++)
                output[j] = row[j * s + first];
        }
        for (; j < width; j++)
            output[j] = default;
    }

    /// <summary>
    /// The inverse of <see cref="Split{T, V}"/>: <paramref name="padded"/> (N, C, padded sizes…) = the cells of
    /// <paramref name="split"/> that padded cells land on (col2im over the phases comes back to the padded input). With
    /// <paramref name="phaseMajor"/>, <paramref name="split"/> holds the phases one after another, each (N, C, P′…): the
    /// outputs of one convolution per phase (<see cref="FullConvolution"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Merge<T, V>(ReadOnlySpan<T> split, ConvGeometry g, Span<T> padded, bool phaseMajor = false)
        where T : unmanaged
        where V : struct, ISimd<V, T>
    {
        var rows = new PaddedRows(g, phaseMajor);
        var pitch = rows.Pitch;
        try
        {
            fixed (T* source = split, destination = padded)
            {
                T* from = source, to = destination;
                ParallelSplit.Ranges(rows.Count, (long)rows.Count * pitch, (first, end) =>
                {
                    var (channel, within) = Math.DivRem(first, rows.PerChannel);
                    for (var row = first; row < end; row++, within++)
                    {
                        if (within == rows.PerChannel)
                            (channel, within) = (channel + 1, 0);
                        MergeRow<T, V>(from + rows.PhaseRow(channel, within), rows, to + (long)row * pitch);
                    }
                });
            }
        }
        finally
        {
            rows.Return();
        }
    }

    /// <summary>
    /// As <see cref="Merge{T, V}"/> (channel-major phases) into the unpadded <paramref name="gradInput"/> (N, C, sizes…) of a
    /// zero-padded convolution: only the input's own cells, each padded row merged in a row of scratch and its middle
    /// copied out, so no padded layout is written to be folded (zero padding passes no gradient back).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MergeUnpadded<T, V>(ReadOnlySpan<T> split, ConvGeometry g, Span<T> gradInput)
        where T : unmanaged
        where V : struct, ISimd<V, T>
    {
        if (g.PaddingMode != PaddingMode.Zeros)
            throw new ArgumentException($"only zero padding merges into the unpadded input, not {g.PaddingMode}", nameof(g));
        var rows = new PaddedRows(g, phaseMajor: false);
        var (pitch, begin, width) = (rows.Pitch, g.Axes[^1].PadBegin, g.Axes[^1].Input);
        try
        {
            fixed (T* source = split, destination = gradInput)
            {
                T* from = source, to = destination;
                ParallelSplit.Ranges(rows.Count, (long)rows.Count * pitch, (first, end) =>
                {
                    var scratch = System.Buffers.ArrayPool<T>.Shared.Rent(pitch);
                    try
                    {
                        fixed (T* line = scratch)
                        {
                            var (channel, within) = Math.DivRem(first, rows.PerChannel);
                            for (var row = first; row < end; row++, within++)
                            {
                                if (within == rows.PerChannel)
                                    (channel, within) = (channel + 1, 0);
                                var target = rows.InputRow(channel, within);
                                if (target < 0)
                                    continue;
                                MergeRow<T, V>(from + rows.PhaseRow(channel, within), rows, line);
                                new ReadOnlySpan<T>(line + begin, width).CopyTo(new Span<T>(to + target, width));
                            }
                        }
                    }
                    finally
                    {
                        System.Buffers.ArrayPool<T>.Shared.Return(scratch);
                    }
                });
            }
        }
        finally
        {
            rows.Return();
        }
    }

    /// <summary>One padded row, <c>output[x] = phase row (x mod s)[x div s]</c> for x &lt; P, from its first phase row <paramref name="input"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MergeRow<T, V>(T* input, in PaddedRows rows, T* output)
        where T : unmanaged
        where V : struct, ISimd<V, T>
    {
        var (s, pitch, volume) = (rows.Stride, rows.Pitch, rows.PhasePitch);
        var j0 = 0;
        if (s == 2)
        {
            // Both phase rows hold at least pitch div 2 cells, so whole pairs of vectors up to it are readable.
            for (; 2 * (j0 + V.Count) <= pitch; j0 += V.Count)
                V.StoreInterleaved(V.Load(input + j0), V.Load(input + volume + j0), output + 2 * j0);
        }
        for (var column = 0; column < s; column++)
        {
            for (int j = j0, x = column + j0 * s; x < pitch; x += s, j++)
                output[x] = input[column * volume + j];
        }
    }

    /// <summary>
    /// The padded input's rows (N·C channels × the outer axes' padded sizes, each P_{d−1} long) and where each lands in
    /// the split input: the one place Split and Merge, each other's inverse, take that mapping from. The split input is
    /// channel-major (each channel's Π s_a phase volumes together) or, with phaseMajor, phase-major (each phase's N·C volumes together).
    /// A row is named by its channel and its row within the channel, and the within-channel part of both places is worked
    /// out once per call: dividing by every axis's size and stride for each of S5's 7,296 rows cost its forward pass about
    /// 1.5% (`--pass S5 forward`, by turns: 2.33–2.34 ms median against 2.37–2.38). <see cref="Return"/> gives its tables back.
    /// </summary>
    private readonly struct PaddedRows
    {
        private readonly long _channelPitch, _inputPlane;

        /// <summary>
        /// For row r of a channel (r &lt; <see cref="PerChannel"/>): where it starts in its channel of the unpadded input,
        /// or −1 where it lies in an outer axis's padding; and where its first phase row starts in its channel's phases.
        /// </summary>
        private readonly long[] _inputRows, _phaseRows;

        public PaddedRows(ConvGeometry g, bool phaseMajor)
        {
            var axes = g.Axes;
            (PerChannel, _inputPlane) = (1, axes[^1].Input);
            for (var a = 0; a < axes.Length - 1; a++)
                (PerChannel, _inputPlane) = (PerChannel * (int)axes[a].PaddedInput, _inputPlane * axes[a].Input);
            (Stride, Width, Pitch) = (axes[^1].Stride, Size(axes[^1]), (int)axes[^1].PaddedInput);
            Count = g.Batch * g.InChannels * PerChannel;
            var volume = VolumeLength(g);
            (_channelPitch, PhasePitch) = phaseMajor ? (volume, (long)g.Batch * g.InChannels * volume) : (ChannelLength(g), volume);
            (_inputRows, _phaseRows) = (ArrayPool<long>.Shared.Rent(PerChannel), ArrayPool<long>.Shared.Rent(PerChannel));
            for (var row = 0; row < PerChannel; row++)
            {
                // The row's index on each outer axis, innermost first: its cell of the input (if any), and its phase and
                // row in that phase's volume.
                var (rest, input, inner, phase, phases, target, targetInner) = (row, 0L, (long)axes[^1].Input, 0, 1, 0, 1);
                for (var a = axes.Length - 2; a >= 0; a--)
                {
                    var index = rest % (int)axes[a].PaddedInput;
                    var cell = index - axes[a].PadBegin;
                    input = input < 0 || cell < 0 || cell >= axes[a].Input ? -1 : input + cell * inner;
                    phase += index % axes[a].Stride * phases;
                    target += index / axes[a].Stride * targetInner;
                    (rest, inner, phases, targetInner) = (rest / (int)axes[a].PaddedInput, inner * axes[a].Input, phases * axes[a].Stride, targetInner * Size(axes[a]));
                }
                (_inputRows[row], _phaseRows[row]) = (input, phase * Stride * PhasePitch + (long)target * Width);
            }
        }

        /// <summary>The last axis's stride: its phase rows per padded row.</summary>
        public int Stride { get; }

        /// <summary>W′, a phase row's length.</summary>
        public int Width { get; }

        /// <summary>P_{d−1}, a padded row's length.</summary>
        public int Pitch { get; }

        /// <summary>How far apart a padded row's phase rows (and any two neighbouring phases of a channel) lie.</summary>
        public long PhasePitch { get; }

        /// <summary>Rows in all: N·C·<see cref="PerChannel"/>, row c·PerChannel + r being row r of channel c.</summary>
        public int Count { get; }

        /// <summary>Rows per channel: the outer axes' padded sizes multiplied.</summary>
        public int PerChannel { get; }

        /// <summary>
        /// Where row <paramref name="row"/> of <paramref name="channel"/> starts in the unpadded input (N, C, sizes…): the
        /// row of the same channel it pads, or −1 where it lies in the padding of an outer axis.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public long InputRow(int channel, int row) => _inputRows[row] < 0 ? -1 : channel * _inputPlane + _inputRows[row];

        /// <summary>
        /// Where row <paramref name="row"/> of <paramref name="channel"/>'s first phase row (column phase 0) starts in the
        /// split input: its channel, its phase on the outer axes (numbered before the last axis's), and its row in that phase volume.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public long PhaseRow(int channel, int row) => channel * _channelPitch + _phaseRows[row];

        /// <summary>Gives the tables back to the pool: once, after the last row's use.</summary>
        public void Return()
        {
            ArrayPool<long>.Shared.Return(_inputRows);
            ArrayPool<long>.Shared.Return(_phaseRows);
        }
    }
}
