using System.Buffers;
using System.Numerics;
using System.Runtime.Intrinsics;
using ConvService.Domain.Convolution.Kernels;
using ConvService.Domain.Geometry;

namespace ConvService.Domain.Convolution;

/// <summary>
/// Pads the planes of an (N·C, sizes…) tensor at both ends of each of its d axes as a <see cref="PaddingMode"/> says
/// (<c>F.pad</c>'s semantics, begin and end amounts from each <see cref="WindowAxis"/>), and folds a gradient with
/// respect to the padded tensor back onto the cells each padding cell was copied from.
/// </summary>
public static unsafe class Padding
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

    /// <summary>Writes <paramref name="planes"/> padded planes (each Π <c>axis.PaddedInput</c> cells, row-major) into <paramref name="padded"/>.</summary>
    /// <exception cref="ArgumentException">A span is shorter than the planes need.</exception>
    public static void Pad<T>(ReadOnlySpan<T> input, int planes, ReadOnlySpan<WindowAxis> axes, PaddingMode mode, Span<T> padded)
        where T : unmanaged, INumberBase<T>
    {
        var (plane, paddedPlane) = Lengths(axes);
        ArgumentOutOfRangeException.ThrowIfLessThan(input.Length, planes * plane, nameof(input));
        ArgumentOutOfRangeException.ThrowIfLessThan(padded.Length, planes * paddedPlane, nameof(padded));
        var last = axes[^1];
        var (w, wp) = (last.Input, (int)last.PaddedInput);
        var padBegin = last.PadBegin;
        var tables = Sources(axes, mode, out var rows, out _);
        var rowCount = rows.Length;
        try
        {
            fixed (T* source = input, destination = padded)
            {
                // Rows are short, so a padded element costs about two copied ones (S6: 83 µs for 187,000 elements).
                T* from = source, to = destination;
                ParallelSplit.Ranges(planes, 2L * planes * paddedPlane, (first, end) =>
                {
                    var rowSources = tables.AsSpan(0, rowCount);
                    var cols = tables.AsSpan(rowCount, wp);
                    for (var p = first; p < end; p++)
                    {
                        if (mode == PaddingMode.Zeros)
                        {
                            PadZeros(from + (long)p * plane, rowSources, w, wp, padBegin, to + (long)p * paddedPlane);
                            continue;
                        }
                        var src = new ReadOnlySpan<T>(from + (long)p * plane, plane);
                        var dst = new Span<T>(to + (long)p * paddedPlane, paddedPlane);
                        for (var r = 0; r < rowSources.Length; r++)
                            PadRow(rowSources[r] < 0 ? default : src.Slice(rowSources[r] * w, w), cols, padBegin, dst.Slice(r * wp, wp));
                    }
                });
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(tables);
        }
    }

    /// <summary>
    /// Adds each cell of the padded gradient to the input cell it was copied from (zero cells are dropped), padded rows
    /// in row-major order. <paramref name="gradInput"/> is overwritten, not accumulated into.
    /// </summary>
    public static void Fold<T>(ReadOnlySpan<T> gradPadded, int planes, ReadOnlySpan<WindowAxis> axes, PaddingMode mode, Span<T> gradInput)
        where T : unmanaged, INumberBase<T>
    {
        var (plane, paddedPlane) = Lengths(axes);
        ArgumentOutOfRangeException.ThrowIfLessThan(gradPadded.Length, planes * paddedPlane, nameof(gradPadded));
        ArgumentOutOfRangeException.ThrowIfLessThan(gradInput.Length, planes * plane, nameof(gradInput));
        var last = axes[^1];
        var (w, wp) = (last.Input, (int)last.PaddedInput);
        var tables = Sources(axes, mode, out var rows, out var cols);
        try
        {
            if (mode == PaddingMode.Zeros)
            {
                FoldZeros(gradPadded, planes, plane, paddedPlane, w, wp, last.PadBegin, tables.AsSpan(0, rows.Length), gradInput);
                return;
            }
            gradInput[..(planes * plane)].Clear();
            for (var p = 0; p < planes; p++)
            {
                var src = gradPadded.Slice(p * paddedPlane, paddedPlane);
                var dst = gradInput.Slice(p * plane, plane);
                for (var r = 0; r < rows.Length; r++)
                {
                    if (rows[r] >= 0)
                        FoldRow(src.Slice(r * wp, wp), cols, dst.Slice(rows[r] * w, w));
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(tables);
        }
    }

    /// <summary>
    /// Zero padding: every input cell is copied to exactly one padded cell, so the fold is a copy of each row's inner
    /// part, planes shared among workers. It adds the cell to +0 as the general fold does, so a −0 comes out as +0 there too.
    /// </summary>
    private static void FoldZeros<T>(ReadOnlySpan<T> gradPadded, int planes, int plane, int paddedPlane, int w, int wp, int padBegin, ReadOnlySpan<int> rows, Span<T> gradInput)
        where T : unmanaged, INumberBase<T>
    {
        fixed (T* source = gradPadded, destination = gradInput)
        fixed (int* sourceRows = rows)
        {
            T* from = source, to = destination;
            int* rowSources = sourceRows;
            var rowCount = rows.Length;
            ParallelSplit.Ranges(planes, 2L * planes * paddedPlane, (first, end) =>
            {
                for (var p = first; p < end; p++)
                {
                    for (var r = 0; r < rowCount; r++)
                    {
                        if (rowSources[r] >= 0)
                            AddToZero(new ReadOnlySpan<T>(from + (long)p * paddedPlane + (long)r * wp + padBegin, w), new Span<T>(to + (long)p * plane + (long)rowSources[r] * w, w));
                    }
                }
            });
        }
    }

    /// <summary><c>destination[i] = 0 + source[i]</c>, a vector at a time.</summary>
    private static void AddToZero<T>(ReadOnlySpan<T> source, Span<T> destination)
        where T : unmanaged, INumberBase<T>
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            for (; i + Vector<T>.Count <= source.Length; i += Vector<T>.Count)
                (Vector<T>.Zero + new Vector<T>(source[i..])).CopyTo(destination[i..]);
        }
        for (; i < source.Length; i++)
            destination[i] = T.Zero + source[i];
    }

    private static (int Plane, int PaddedPlane) Lengths(ReadOnlySpan<WindowAxis> axes)
    {
        ArgumentOutOfRangeException.ThrowIfZero(axes.Length, nameof(axes));
        var (plane, padded) = (1, 1);
        foreach (var axis in axes)
            (plane, padded) = (checked(plane * axis.Input), checked(padded * (int)axis.PaddedInput));
        return (plane, padded);
    }

    /// <summary>
    /// One rented table: <paramref name="rows"/>[r] = the input row (over the outer d − 1 axes, row-major) that padded row
    /// r copies, or −1 for a row of zeros; <paramref name="cols"/>[c] = <see cref="SourceIndex"/> along the last axis.
    /// </summary>
    private static int[] Sources(ReadOnlySpan<WindowAxis> axes, PaddingMode mode, out Span<int> rows, out Span<int> cols)
    {
        var last = axes[^1];
        var rowCount = 1;
        foreach (var axis in axes[..^1])
            rowCount = checked(rowCount * (int)axis.PaddedInput);
        var table = ArrayPool<int>.Shared.Rent(rowCount + (int)last.PaddedInput);
        rows = table.AsSpan(0, rowCount);
        cols = table.AsSpan(rowCount, (int)last.PaddedInput);
        for (var c = 0; c < cols.Length; c++)
            cols[c] = SourceIndex(c, last.Input, last.PadBegin, mode);
        for (var r = 0; r < rowCount; r++)
        {
            // r's digits over the outer axes, innermost first: each maps to its source, a zero cell zeroes the row.
            var (rest, source, scale) = (r, 0, 1);
            for (var a = axes.Length - 2; a >= 0 && source >= 0; a--)
            {
                var padded = (int)axes[a].PaddedInput;
                var from = SourceIndex(rest % padded, axes[a].Input, axes[a].PadBegin, mode);
                source = from < 0 ? -1 : source + from * scale;
                (rest, scale) = (rest / padded, scale * axes[a].Input);
            }
            rows[r] = source;
        }
        return table;
    }

    /// <summary>
    /// One zero-padded plane, row by row: a zero row cleared whole, a source row copied between its zero ends. Short rows
    /// (S6's are 16 elements) are copied a vector at a time: a call per row, as <see cref="PadRow{T}"/> makes, cost more
    /// than the copy (S6's padding 1.6–1.9× faster); long ones (S7's 4,096) by the runtime's copy.
    /// </summary>
    private static void PadZeros<T>(T* source, ReadOnlySpan<int> rowSources, int w, int wp, int padBegin, T* destination)
        where T : unmanaged
    {
        for (var r = 0; r < rowSources.Length; r++)
        {
            var row = destination + (long)r * wp;
            if (rowSources[r] < 0)
            {
                new Span<T>(row, wp).Clear();
                continue;
            }
            for (var x = 0; x < padBegin; x++)
                row[x] = default;
            CopyRow(source + (long)rowSources[r] * w, row + padBegin, w);
            for (var x = padBegin + w; x < wp; x++)
                row[x] = default;
        }
    }

    /// <summary>Copies a row of <paramref name="count"/> elements, reading and writing nothing outside either row.</summary>
    internal static void CopyRow<T>(T* source, T* destination, int count)
        where T : unmanaged
    {
        if (count >= LongRow)
        {
            new ReadOnlySpan<T>(source, count).CopyTo(new Span<T>(destination, count));
            return;
        }
        // Whole vectors of the widest kind, then at most one of each narrower kind, then single elements.
        var x = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            for (; x + Vector512<T>.Count <= count; x += Vector512<T>.Count)
                Vector512.Store(Vector512.Load(source + x), destination + x);
        }
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            for (; x + Vector256<T>.Count <= count; x += Vector256<T>.Count)
                Vector256.Store(Vector256.Load(source + x), destination + x);
        }
        if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported && x + Vector128<T>.Count <= count)
        {
            Vector128.Store(Vector128.Load(source + x), destination + x);
            x += Vector128<T>.Count;
        }
        for (; x < count; x++)
            destination[x] = source[x];
    }

    /// <summary>Elements from which a row is copied by the runtime's copy rather than a vector loop.</summary>
    private const int LongRow = 256;

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
