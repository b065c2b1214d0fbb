using System.Numerics;
using ConvService.Domain.Pooling.Rows;

namespace ConvService.Domain.Pooling;

/// <summary>The max reduction over one plane's windows, shared by max, fractional-max and adaptive-max pooling.</summary>
internal static class MaxWindows
{
    /// <summary>
    /// <c>out[i,j] = max</c> over the window's taps, <c>index[i,j]</c> = its flat position <c>h·W + w</c> in the plane.
    /// As PyTorch: a NaN wins (the last NaN seen), otherwise the first maximal tap in row-major order; a window with
    /// no taps gives −∞ and index −1. <paramref name="indices"/> may be empty: then no positions are tracked.
    /// Whole rows at a time (<see cref="RowMax"/>) where the windows allow, else <see cref="Scalar{T}"/>.
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> plane, int width, PoolWindows rows, PoolWindows cols, Span<T> output, Span<int> indices)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (width > 0 && RowLayout.Of(rows, cols, plane.Length / width, width) is { } layout)
            RowMax.Forward(plane, width, rows, cols, layout, output, indices);
        else
            Scalar(plane, width, rows, cols, output, indices);
    }

    /// <summary>The plain loop over every window and tap; the reference for the row kernels.</summary>
    internal static void Scalar<T>(ReadOnlySpan<T> plane, int width, PoolWindows rows, PoolWindows cols, Span<T> output, Span<int> indices)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < rows.Count; i++)
        {
            for (var j = 0; j < cols.Count; j++)
            {
                var best = T.NegativeInfinity;
                var at = -1;
                for (var h = rows.Begin[i]; h < rows.End[i]; h += rows.Step)
                {
                    for (var w = cols.Begin[j]; w < cols.End[j]; w += cols.Step)
                    {
                        var value = plane[h * width + w];
                        if (at < 0 || value > best || T.IsNaN(value))
                            (best, at) = (value, h * width + w);
                    }
                }
                output[i * cols.Count + j] = at < 0 ? T.NegativeInfinity : best;
                if (!indices.IsEmpty)
                    indices[i * cols.Count + j] = at;
            }
        }
    }

    /// <summary>Routes each output gradient to its window's argmax: <c>gradIn[index[k]] += gradOut[k]</c>.</summary>
    public static void Backward<T>(ReadOnlySpan<T> gradOutput, ReadOnlySpan<int> indices, Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var k = 0; k < gradOutput.Length; k++)
        {
            if (indices[k] >= 0)
                gradInput[indices[k]] += gradOutput[k];
        }
    }
}
