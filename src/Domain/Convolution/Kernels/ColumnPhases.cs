namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// The padded input with its last axis split by phase, for a convolution whose columns step s &gt; 1: padded column
/// x = j·s + φ moves to phase row φ, column j. Each channel becomes s planes of the outer padded sizes × W′ = ⌈P/s⌉
/// (zeros past the end), so tap column p·dilation lies in phase (p·dilation) mod s at column (p·dilation) div s, and the
/// outputs of a row are consecutive there. The kernel gradient then sums along stride-1 rows of virtual pixels instead
/// of rows in which s − 1 of every s lanes are columns no output reads (S5's kernel gradient ran at half the speed of
/// its data gradient for that).
/// </summary>
internal static unsafe class ColumnPhases
{
    /// <summary>Whether the last axis steps more than one column.</summary>
    public static bool Apply(ConvGeometry g) => g.Axes[^1].Stride > 1;

    /// <summary>W′, the length of a phase row.</summary>
    private static int Width(ConvGeometry g) => (int)((g.Axes[^1].PaddedInput + g.Axes[^1].Stride - 1) / g.Axes[^1].Stride);

    /// <summary>Rows of one phase plane: the product of the outer axes' padded sizes (1 in 1-D).</summary>
    private static int OuterRows(ConvGeometry g)
    {
        var rows = 1;
        for (var a = 0; a < g.Axes.Length - 1; a++)
            rows *= (int)g.Axes[a].PaddedInput;
        return rows;
    }

    /// <summary>Elements per channel: s phase planes.</summary>
    private static int ChannelLength(ConvGeometry g) => g.Axes[^1].Stride * OuterRows(g) * Width(g);

    /// <summary>Elements of the whole split input, N·C channels.</summary>
    public static long Length(ConvGeometry g) => (long)g.Batch * g.InChannels * ChannelLength(g);

    /// <summary>The virtual pixels over one phase plane: outer axes as in the padded input, columns consecutive.</summary>
    public static PixelGrid Grid(ConvGeometry g)
    {
        var axes = g.Axes;
        var d = axes.Length;
        var (sizes, pitches) = (new int[d - 1], new int[d - 1]);
        var inner = Width(g);
        for (var a = d - 2; a >= 0; a--)
        {
            (sizes[a], pitches[a]) = (axes[a].Output, axes[a].Stride * inner);
            inner *= (int)axes[a].PaddedInput;
        }
        return new PixelGrid(sizes, pitches, axes[d - 1].Output, 1, ChannelLength(g), Width(g));
    }

    /// <summary>
    /// offsets[k] for tap k = (c·K₀ + p₀)·K₁ + … (the kernel's order): <c>c·channel + φ·plane + Σ_outer p_a·dilation_a·pitch_a + col</c>.
    /// </summary>
    public static void TapOffsets(ConvGeometry g, Span<int> offsets)
    {
        var axes = g.Axes;
        var d = axes.Length;
        var (s, width) = (axes[d - 1].Stride, Width(g));
        var plane = OuterRows(g) * width;
        var taps = g.Windows.KernelCells;
        for (var k = 0; k < taps; k++)
        {
            var column = k % axes[d - 1].Kernel * axes[d - 1].Dilation;
            var (rest, offset, inner) = (k / axes[d - 1].Kernel, column % s * plane + column / s, width);
            for (var a = d - 2; a >= 0; a--)
            {
                offset += rest % axes[a].Kernel * axes[a].Dilation * inner;
                (rest, inner) = (rest / axes[a].Kernel, inner * (int)axes[a].PaddedInput);
            }
            for (var c = 0; c < g.InChannelsPerGroup; c++)
                offsets[c * taps + k] = c * ChannelLength(g) + offset;
        }
    }

    /// <summary><paramref name="split"/> = <paramref name="padded"/> (N, C, padded sizes…) with every padded row split by phase.</summary>
    public static void Split<T, V>(ReadOnlySpan<T> padded, ConvGeometry g, Span<T> split)
        where T : unmanaged
        where V : struct, ISimd<V, T>
    {
        var (s, width, pitch, outer) = (g.Axes[^1].Stride, Width(g), (int)g.Axes[^1].PaddedInput, OuterRows(g));
        var rows = g.Batch * g.InChannels * outer;
        var plane = outer * width;
        fixed (T* source = padded, destination = split)
        {
            T* from = source, to = destination;
            ParallelSplit.Ranges(rows, (long)rows * pitch, (first, end) =>
            {
                for (var row = first; row < end; row++)
                {
                    // Row r of channel n·C + c is row r of each of that channel's phase planes.
                    var (channel, r) = Math.DivRem(row, outer);
                    var input = from + (long)row * pitch;
                    var output = to + (long)channel * s * plane + (long)r * width;
                    for (var phase = 0; phase < s; phase++, output += plane)
                        SplitRow<T, V>(input + phase, pitch - phase, s, output, width);
                }
            });
        }
    }

    /// <summary>
    /// <c>output[j] = input[j·s]</c> for j·s &lt; <paramref name="length"/>, zeros after it up to <paramref name="width"/>;
    /// at s = 2 a vector at a time from two loads, as far as those stay within the row.
    /// </summary>
    private static void SplitRow<T, V>(T* input, int length, int s, T* output, int width)
        where T : unmanaged
        where V : struct, ISimd<V, T>
    {
        var j = 0;
        if (s == 2)
        {
            for (; 2 * (j + V.Count) <= length; j += V.Count)
                V.Store(V.Evens(V.Load(input + 2 * j), V.Load(input + 2 * j + V.Count)), output + j);
        }
        for (; j * s < length; j++)
            output[j] = input[j * s];
        for (; j < width; j++)
            output[j] = default;
    }
}
