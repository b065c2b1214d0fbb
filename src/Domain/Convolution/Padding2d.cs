using System.Numerics;
using ConvService.Domain.Geometry;

namespace ConvService.Domain.Convolution;

/// <summary>
/// Pads the planes of an (N·C, H, W) tensor as a <see cref="PaddingMode"/> says, and folds a gradient with
/// respect to the padded tensor back onto the cells each padding cell was copied from.
/// </summary>
public static class Padding2d
{
    /// <summary>
    /// The position of the unpadded axis that padded position <paramref name="padded"/> copies, or −1 for a zero cell.
    /// Reflect mirrors about the edge cell without repeating it; circular wraps; replicate clamps.
    /// </summary>
    public static int SourceIndex(int padded, int size, int padBegin, PaddingMode mode)
    {
        var i = padded - padBegin;
        if ((uint)i < (uint)size)
            return i;
        return mode switch
        {
            PaddingMode.Reflect => i < 0 ? -i : 2 * (size - 1) - i,
            PaddingMode.Replicate => i < 0 ? 0 : size - 1,
            PaddingMode.Circular => ((i % size) + size) % size,
            _ => -1,
        };
    }

    /// <summary>Writes <paramref name="planes"/> padded planes of <c>height.PaddedInput × width.PaddedInput</c> into <paramref name="padded"/>.</summary>
    /// <exception cref="ArgumentException">A span is shorter than the planes need.</exception>
    public static void Pad<T>(ReadOnlySpan<T> input, int planes, WindowAxis height, WindowAxis width, PaddingMode mode, Span<T> padded)
        where T : unmanaged, INumberBase<T>
    {
        int hp = (int)height.PaddedInput, wp = (int)width.PaddedInput, h = height.Input, w = width.Input;
        ArgumentOutOfRangeException.ThrowIfLessThan(input.Length, planes * h * w, nameof(input));
        ArgumentOutOfRangeException.ThrowIfLessThan(padded.Length, planes * hp * wp, nameof(padded));
        Span<int> rows = hp <= 1024 ? stackalloc int[hp] : new int[hp];
        Span<int> cols = wp <= 1024 ? stackalloc int[wp] : new int[wp];
        FillSources(rows, h, height.PadBegin, mode);
        FillSources(cols, w, width.PadBegin, mode);
        for (var plane = 0; plane < planes; plane++)
        {
            var src = input.Slice(plane * h * w, h * w);
            var dst = padded.Slice(plane * hp * wp, hp * wp);
            for (var r = 0; r < hp; r++)
                PadRow(rows[r] < 0 ? default : src.Slice(rows[r] * w, w), cols, width.PadBegin, dst.Slice(r * wp, wp));
        }
    }

    /// <summary>
    /// Adds each cell of the padded gradient to the input cell it was copied from (zero cells are dropped).
    /// <paramref name="gradInput"/> is overwritten, not accumulated into.
    /// </summary>
    public static void Fold<T>(ReadOnlySpan<T> gradPadded, int planes, WindowAxis height, WindowAxis width, PaddingMode mode, Span<T> gradInput)
        where T : unmanaged, INumberBase<T>
    {
        int hp = (int)height.PaddedInput, wp = (int)width.PaddedInput, h = height.Input, w = width.Input;
        ArgumentOutOfRangeException.ThrowIfLessThan(gradPadded.Length, planes * hp * wp, nameof(gradPadded));
        ArgumentOutOfRangeException.ThrowIfLessThan(gradInput.Length, planes * h * w, nameof(gradInput));
        Span<int> rows = hp <= 1024 ? stackalloc int[hp] : new int[hp];
        Span<int> cols = wp <= 1024 ? stackalloc int[wp] : new int[wp];
        FillSources(rows, h, height.PadBegin, mode);
        FillSources(cols, w, width.PadBegin, mode);
        gradInput[..(planes * h * w)].Clear();
        for (var plane = 0; plane < planes; plane++)
        {
            var src = gradPadded.Slice(plane * hp * wp, hp * wp);
            var dst = gradInput.Slice(plane * h * w, h * w);
            for (var r = 0; r < hp; r++)
            {
                if (rows[r] >= 0)
                    FoldRow(src.Slice(r * wp, wp), cols, dst.Slice(rows[r] * w, w));
            }
        }
    }

    private static void FillSources(Span<int> sources, int size, int padBegin, PaddingMode mode)
    {
        for (var p = 0; p < sources.Length; p++)
            sources[p] = SourceIndex(p, size, padBegin, mode);
    }

    private static void PadRow<T>(ReadOnlySpan<T> source, ReadOnlySpan<int> cols, int padBegin, Span<T> destination)
        where T : unmanaged, INumberBase<T>
    {
        if (source.IsEmpty)
        {
            destination.Clear();
            return;
        }
        for (var c = 0; c < cols.Length; c++)
        {
            if (c == padBegin && source.Length <= cols.Length - c)
            {
                source.CopyTo(destination.Slice(c));
                c += source.Length - 1;
                continue;
            }
            destination[c] = cols[c] < 0 ? T.Zero : source[cols[c]];
        }
    }

    private static void FoldRow<T>(ReadOnlySpan<T> source, ReadOnlySpan<int> cols, Span<T> destination)
        where T : unmanaged, INumberBase<T>
    {
        for (var c = 0; c < cols.Length; c++)
        {
            if (cols[c] >= 0)
                destination[cols[c]] += source[c];
        }
    }
}
