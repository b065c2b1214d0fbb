using System.Collections.Immutable;
using ConvService.Domain.Convolution;
using ConvService.Domain.Geometry;

namespace ConvService.Domain.Explanation;

/// <summary>
/// One multiply of a convolution: output cell (<see cref="Batch"/>, <see cref="OutChannel"/>, <see cref="Output"/>…) adds
/// the kernel weight (<see cref="OutChannel"/>, <see cref="InChannel"/> within its group, <see cref="Tap"/>…) times the
/// cell of input channel <see cref="InChannel"/> at <see cref="Position"/>… (inside the input, or in its padding).
/// </summary>
/// <param name="Batch">n.</param>
/// <param name="OutChannel">The output channel o.</param>
/// <param name="InChannel">The input channel read (absolute; its index within the group is the kernel's second index).</param>
/// <param name="Output">The output cell's position per spatial axis.</param>
/// <param name="Tap">The kernel tap per spatial axis.</param>
/// <param name="Position">The input position read per axis, <see cref="WindowAxis.Position"/>: outside the input in the padding.</param>
/// <param name="Source">The input cell the position holds: the position itself inside the input, the cell a reflect, replicate or circular padding copies, or null for zero padding.</param>
public sealed record ConvTap(int Batch, int OutChannel, int InChannel, ImmutableArray<int> Output, ImmutableArray<int> Tap, ImmutableArray<int> Position, ImmutableArray<int>? Source)
{
    /// <summary>Whether the position lies in the padding.</summary>
    public bool Padded => Source is not { } source || !source.SequenceEqual(Position);
}

/// <summary>
/// The cells a convolution multiplies, enumerated from its <see cref="ConvGeometry"/>: each axis's
/// <see cref="WindowAxis.Position"/> and <see cref="Padding.SourceIndex"/>, the rules the kernels and the padding use. A
/// cell's window, the taps that read an input cell (its gradient's contributors), and the taps one weight multiplies
/// (its gradient's). Explanations and their costs are built from these, never from arithmetic of their own.
/// </summary>
public static class ConvTaps
{
    /// <summary>
    /// The taps output cell <paramref name="output"/> (batched coordinates) sums: for each input channel of its group, the
    /// kernel's taps in row-major order. <c>out[n,o,i…] = Σ_c Σ_p… in[n, g·C/groups + c, i·s − padBegin + p·d …] · kernel[o,c,p…]</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The cell lies outside the output.</exception>
    public static IEnumerable<ConvTap> Window(ConvGeometry geometry, PlaneCell output)
    {
        CheckInside(output, geometry.Batch, geometry.OutChannels, geometry.Windows.OutputSizes.Values, nameof(output));
        return Enumerate(geometry, output);

        static IEnumerable<ConvTap> Enumerate(ConvGeometry g, PlaneCell output)
        {
            var first = output.Channel / g.OutChannelsPerGroup * g.InChannelsPerGroup;
            for (var c = first; c < first + g.InChannelsPerGroup; c++)
            {
                foreach (var tap in PlaneCell.Indices(g.Windows.KernelSizes.Values))
                    yield return Tap(g, output.Batch, output.Channel, c, output.Spatial, tap);
            }
        }
    }

    /// <summary>Taps per window: C/groups · Π K.</summary>
    public static long WindowSize(ConvGeometry geometry) => (long)geometry.InChannelsPerGroup * geometry.Windows.KernelCells;

    /// <summary>
    /// The taps that read input cell <paramref name="input"/> (batched coordinates), directly or through a padding cell
    /// that copies it: for each output channel of its group, by output cell in row-major order, then by tap. Their
    /// gradient products sum to <c>gradInput</c> at that cell.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The cell lies outside the input.</exception>
    public static IEnumerable<ConvTap> Readers(ConvGeometry geometry, PlaneCell input)
    {
        CheckInside(input, geometry.Batch, geometry.InChannels, geometry.Windows.Input.Sizes.ToArray(), nameof(input));
        var pairs = ReadingPairs(geometry, input);
        return Enumerate(geometry, input, pairs);

        static IEnumerable<ConvTap> Enumerate(ConvGeometry g, PlaneCell input, (int Output, int Tap, int Position)[][] pairs)
        {
            var first = input.Channel / g.InChannelsPerGroup * g.OutChannelsPerGroup;
            var counts = ImmutableArray.CreateRange(pairs.Select(p => p.Length));
            for (var o = first; o < first + g.OutChannelsPerGroup; o++)
            {
                foreach (var pick in PlaneCell.Indices(counts))
                {
                    var chosen = pick.Select((k, a) => pairs[a][k]).ToArray();
                    yield return new ConvTap(input.Batch, o, input.Channel, [.. chosen.Select(p => p.Output)], [.. chosen.Select(p => p.Tap)],
                        [.. chosen.Select(p => p.Position)], input.Spatial);
                }
            }
        }
    }

    /// <summary>How many taps read input cell <paramref name="input"/> (see <see cref="Readers"/>), without enumerating them.</summary>
    public static long ReaderCount(ConvGeometry geometry, PlaneCell input) =>
        ReadingPairs(geometry, input).Aggregate((long)geometry.OutChannelsPerGroup, (count, pairs) => count * pairs.Length);

    /// <summary>
    /// The taps kernel weight (<paramref name="outChannel"/>, <paramref name="inChannel"/> within the group, <paramref name="tap"/>…)
    /// multiplies: for each batch, every output cell of that channel in row-major order. Their products with gradOutput sum
    /// to <c>gradKernel</c> at that weight.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The weight lies outside the kernel.</exception>
    public static IEnumerable<ConvTap> Uses(ConvGeometry geometry, int outChannel, int inChannel, ImmutableArray<int> tap)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)outChannel, (uint)geometry.OutChannels, nameof(outChannel));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)inChannel, (uint)geometry.InChannelsPerGroup, nameof(inChannel));
        if (!new PlaneCell(0, 0, tap).IsInside(geometry.Windows.KernelSizes.Values.AsSpan()))
            throw new ArgumentOutOfRangeException(nameof(tap), $"tap [{string.Join(", ", tap)}] lies outside the kernel {geometry.Windows.KernelSizes}");
        return Enumerate(geometry, outChannel, inChannel, tap);

        static IEnumerable<ConvTap> Enumerate(ConvGeometry g, int outChannel, int inChannel, ImmutableArray<int> tap)
        {
            var c = outChannel / g.OutChannelsPerGroup * g.InChannelsPerGroup + inChannel;
            for (var n = 0; n < g.Batch; n++)
            {
                foreach (var output in PlaneCell.Indices(g.Windows.OutputSizes.Values))
                    yield return Tap(g, n, outChannel, c, output, tap);
            }
        }
    }

    /// <summary>How many taps one weight multiplies: N · Π O.</summary>
    public static long UseCount(ConvGeometry geometry) => (long)geometry.Batch * geometry.Windows.OutputPlaneLength;

    /// <summary>The kernel's index of a tap's weight, in the kernel's rank: (k…) for a single plane, else (Cout, C/groups, k…).</summary>
    public static ImmutableArray<int> KernelIndex(ConvGeometry geometry, ConvTap tap) =>
        geometry.Windows.Input.Form == SpatialForm.Single ? tap.Tap : [tap.OutChannel, tap.InChannel % geometry.InChannelsPerGroup, .. tap.Tap];

    /// <summary>The row-major offset of a tap's weight in the kernel.</summary>
    public static long KernelOffset(ConvGeometry geometry, ConvTap tap) =>
        ((long)tap.OutChannel * geometry.InChannelsPerGroup + tap.InChannel % geometry.InChannelsPerGroup) * geometry.Windows.KernelCells
        + PlaneCell.RowMajor(geometry.Windows.KernelSizes.Values.AsSpan(), tap.Tap.AsSpan());

    private static ConvTap Tap(ConvGeometry g, int batch, int outChannel, int inChannel, ImmutableArray<int> output, ImmutableArray<int> tap)
    {
        var d = g.Axes.Length;
        var (position, source) = (new int[d], new int[d]);
        var zero = false;
        for (var a = 0; a < d; a++)
        {
            var axis = g.Axes[a];
            position[a] = (int)axis.Position(output[a], tap[a]);
            source[a] = Padding.SourceIndex(position[a] + axis.PadBegin, axis.Input, axis.PadBegin, g.PaddingMode);
            zero |= source[a] < 0;
        }
        return new ConvTap(batch, outChannel, inChannel, output, tap, [.. position], zero ? null : [.. source]);
    }

    // Per axis, every (output, tap) whose position holds input position x: itself, or a padding cell that copies it.
    private static (int Output, int Tap, int Position)[][] ReadingPairs(ConvGeometry g, PlaneCell input)
    {
        var pairs = new (int, int, int)[g.Axes.Length][];
        for (var a = 0; a < g.Axes.Length; a++)
        {
            var axis = g.Axes[a];
            var found = new List<(int, int, int)>();
            for (var o = 0; o < axis.Output; o++)
            {
                for (var k = 0; k < axis.Kernel; k++)
                {
                    var position = (int)axis.Position(o, k);
                    if (Padding.SourceIndex(position + axis.PadBegin, axis.Input, axis.PadBegin, g.PaddingMode) == input.Spatial[a])
                        found.Add((o, k, position));
                }
            }
            pairs[a] = [.. found];
        }
        return pairs;
    }

    private static void CheckInside(PlaneCell cell, int batch, int channels, IReadOnlyList<int> sizes, string name)
    {
        if ((uint)cell.Batch >= (uint)batch || (uint)cell.Channel >= (uint)channels || cell.Spatial.Length != sizes.Count || !cell.IsInside([.. sizes]))
            throw new ArgumentOutOfRangeException(name, $"cell {cell} lies outside {batch}×{channels}×{string.Join('×', sizes)}");
    }
}
