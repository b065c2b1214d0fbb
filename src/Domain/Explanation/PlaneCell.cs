using System.Collections.Immutable;
using ConvService.Domain.Geometry;

namespace ConvService.Domain.Explanation;

/// <summary>
/// One cell of an (N, C, spatial…) tensor, whatever the form it travels in (<see cref="SpatialForm"/>): batch, channel
/// and one position per spatial axis. A position may lie outside the tensor when it names a padding cell.
/// </summary>
/// <param name="Batch">n (0 for the unbatched and single forms).</param>
/// <param name="Channel">c (0 for the single form).</param>
/// <param name="Spatial">One position per spatial axis, outermost first.</param>
public readonly record struct PlaneCell(int Batch, int Channel, ImmutableArray<int> Spatial)
{
    /// <summary>Reads an index in a tensor's own rank: (x…) for the single form, (c, x…) unbatched, (n, c, x…) batched.</summary>
    /// <exception cref="ArgumentException">The index does not have the form's rank for <paramref name="spatialDims"/> axes.</exception>
    public static PlaneCell Of(SpatialForm form, int spatialDims, ReadOnlySpan<int> index)
    {
        var lead = (int)form;
        if (index.Length != spatialDims + lead)
            throw new ArgumentException($"an index of a {SpatialLayout.Describe(form, spatialDims)} tensor has {spatialDims + lead} entries; got {index.Length}", nameof(index));
        return form switch
        {
            SpatialForm.Single => new(0, 0, [.. index]),
            SpatialForm.Unbatched => new(0, index[0], [.. index[1..]]),
            _ => new(index[0], index[1], [.. index[2..]]),
        };
    }

    /// <summary>The index in a tensor's own rank for <paramref name="form"/> (the inverse of <see cref="Of"/>).</summary>
    public ImmutableArray<int> In(SpatialForm form) => form switch
    {
        SpatialForm.Single => Spatial,
        SpatialForm.Unbatched => [Channel, .. Spatial],
        _ => [Batch, Channel, .. Spatial],
    };

    /// <summary>This cell's row-major offset in a tensor of <paramref name="channels"/> channels and spatial <paramref name="sizes"/> (N, C, sizes…).</summary>
    public long Offset(int channels, ReadOnlySpan<int> sizes) => ((long)Batch * channels + Channel) * Product(sizes) + RowMajor(sizes, Spatial.AsSpan());

    /// <summary>Whether every spatial position lies inside <paramref name="sizes"/>.</summary>
    public bool IsInside(ReadOnlySpan<int> sizes)
    {
        for (var a = 0; a < sizes.Length; a++)
        {
            if ((uint)Spatial[a] >= (uint)sizes[a])
                return false;
        }
        return true;
    }

    /// <summary>The row-major offset of <paramref name="index"/> in <paramref name="sizes"/> (the last axis fastest).</summary>
    public static long RowMajor(ReadOnlySpan<int> sizes, ReadOnlySpan<int> index)
    {
        var offset = 0L;
        for (var a = 0; a < sizes.Length; a++)
            offset = offset * sizes[a] + index[a];
        return offset;
    }

    /// <summary>Every index of <paramref name="sizes"/> in row-major order, the last axis fastest (one empty index for no axes).</summary>
    public static IEnumerable<ImmutableArray<int>> Indices(ImmutableArray<int> sizes)
    {
        if (sizes.Any(s => s <= 0))
            yield break;
        var at = new int[sizes.Length];
        while (true)
        {
            yield return [.. at];
            var a = sizes.Length - 1;
            for (; a >= 0 && ++at[a] == sizes[a]; a--)
                at[a] = 0;
            if (a < 0)
                yield break;
        }
    }

    public override string ToString() => $"[{Batch}, {Channel}; {string.Join(", ", Spatial)}]";

    private static long Product(ReadOnlySpan<int> sizes)
    {
        var product = 1L;
        foreach (var size in sizes)
            product *= size;
        return product;
    }
}
