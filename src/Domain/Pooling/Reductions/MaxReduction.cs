using System.Numerics;
using ConvService.Domain.Pooling.Rows;
using ConvService.Domain.Pooling.Windows;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Pooling.Reductions;

/// <summary>
/// The max reduction of max, fractional-max and adaptive-max pooling: each window's largest element and its flat
/// position in the plane; its gradient goes to that position.
/// </summary>
internal sealed class MaxReduction<T>(int outputLength) : IPoolReduction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[]? _values;
    private int[]? _positions;

    public void Forward(ReadOnlySpan<T> plane, PlaneWindows windows, Span<T> output, Span<int> indices) => Reduce(plane, windows, output, indices);

    /// <summary>Recomputes the plane's argmax, then <c>gradIn[index[k]] += gradOut[k]</c> in output order.</summary>
    public void Backward(ReadOnlySpan<T> plane, PlaneWindows windows, ReadOnlySpan<T> gradOutput, Span<T> gradInput)
    {
        _values ??= TensorPool<T>.Shared.Rent(outputLength);
        _positions ??= TensorPool<int>.Shared.Rent(outputLength);
        var positions = _positions.AsSpan(0, windows.OutputLength);
        Reduce(plane, windows, _values.AsSpan(0, windows.OutputLength), positions);
        for (var k = 0; k < gradOutput.Length; k++)
        {
            if (positions[k] >= 0)
                gradInput[positions[k]] += gradOutput[k];
        }
    }

    public void Dispose()
    {
        if (_values is not null)
            TensorPool<T>.Shared.Return(_values);
        if (_positions is not null)
            TensorPool<int>.Shared.Return(_positions);
        (_values, _positions) = (null, null);
    }

    /// <summary>
    /// <c>out[r, j] = max</c> over the window's taps, <c>index[r, j]</c> = its flat position in the plane (row·Width +
    /// column, i.e. h·W + w in 2-D and (z·H + y)·W + x in 3-D). As PyTorch: a NaN wins (the last NaN seen), otherwise
    /// the first maximal tap in row-major window order; a window with no taps gives −∞ and index −1.
    /// <paramref name="indices"/> may be empty: then no positions are tracked. Whole rows at a time
    /// (<see cref="RowMax"/>) where the windows allow, else <see cref="Scalar"/>.
    /// </summary>
    internal static void Reduce(ReadOnlySpan<T> plane, PlaneWindows windows, Span<T> output, Span<int> indices)
    {
        if (RowLayout.Of(windows) is { } layout)
            RowMax.Forward(plane, windows, layout, output, indices);
        else
            Scalar(plane, windows, output, indices);
    }

    /// <summary>The plain loop over every window and tap; the reference for the row kernels.</summary>
    internal static void Scalar(ReadOnlySpan<T> plane, PlaneWindows windows, Span<T> output, Span<int> indices)
    {
        var step = windows.Columns.Step;
        for (var k = 0; k < output.Length; k++)
        {
            var (best, at) = (T.NegativeInfinity, -1);
            foreach (var (offset, taps) in windows.CellsOf(k))
            {
                for (var position = offset; position < offset + taps * step; position += step)
                {
                    if (at < 0 || plane[position] > best || T.IsNaN(plane[position]))
                        (best, at) = (plane[position], position);
                }
            }
            output[k] = best;
            if (!indices.IsEmpty)
                indices[k] = at;
        }
    }
}
