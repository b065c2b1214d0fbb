using ConvService.Domain.Tensors;
using System.Numerics;

namespace ConvService.Domain.Pooling;

/// <summary>The gradient of every max-type pooling: recompute each plane's argmax, then route the gradients to it.</summary>
internal static class MaxBackward
{
    /// <summary><c>gradIn[p, argmax of window k] += gradOut[p, k]</c>, the windows of plane p given by <paramref name="windowsOfPlane"/>.</summary>
    public static void Run<T>(PoolGeometry geometry, ReadOnlySpan<T> input, ReadOnlySpan<T> gradOutput, Span<T> gradInput, Func<int, (PoolWindows Rows, PoolWindows Cols)> windowsOfPlane, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        geometry.CheckLengths(input.Length, gradOutput.Length, outputName: nameof(gradOutput));
        geometry.CheckLengths(gradInput.Length, gradOutput.Length, nameof(gradInput), nameof(gradOutput));
        var (inLength, outLength) = (geometry.InputPlaneLength, geometry.OutputPlaneLength);
        var values = TensorPool<T>.Shared.Rent(outLength);
        var indices = TensorPool<int>.Shared.Rent(outLength);
        try
        {
            gradInput.Clear();
            for (var p = 0; p < geometry.Planes; p++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (rows, cols) = windowsOfPlane(p);
                var planeIndices = indices.AsSpan(0, outLength);
                MaxWindows.Forward(input.Slice(p * inLength, inLength), geometry.Axes[1].Input, rows, cols, values.AsSpan(0, outLength), planeIndices);
                MaxWindows.Backward<T>(gradOutput.Slice(p * outLength, outLength), planeIndices, gradInput.Slice(p * inLength, inLength));
            }
        }
        finally
        {
            TensorPool<T>.Shared.Return(values);
            TensorPool<int>.Shared.Return(indices);
        }
    }
}
