using ConvService.Domain.Geometry;

namespace ConvService.Domain.Pooling;

/// <summary>Per-axis values and their names: one entry serves every axis, as PyTorch's size-1 lists do.</summary>
internal static class PerAxis
{
    private static readonly string[][] AxisNames = [["length"], ["height", "width"], ["depth", "height", "width"]];

    /// <summary>The value of <paramref name="axis"/>: the only entry, or that axis's.</summary>
    public static int At(this Spatial values, int axis) => values.Rank == 1 ? values[0] : values[axis];

    /// <summary>The value of <paramref name="axis"/>, or <paramref name="fallback"/> when none was given.</summary>
    public static int At(this Spatial? values, int axis, int fallback) => values is { } v ? v.At(axis) : fallback;

    /// <summary>"height" for axis 0 of 2-D; "depth" for axis 0 of 3-D; "length" in 1-D.</summary>
    public static string Name(int dims, int axis) => AxisNames[dims - 1][axis];

    /// <summary>"depth, height, width" for 3-D.</summary>
    public static string Names(int dims) => string.Join(", ", AxisNames[dims - 1]);

    /// <summary>The per-axis values as "3×3×3".</summary>
    public static string Join<T>(IEnumerable<T> values) => string.Join('×', values);
}
