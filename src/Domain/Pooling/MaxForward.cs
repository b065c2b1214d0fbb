using System.Numerics;

namespace ConvService.Domain.Pooling;

/// <summary>The forward pass of the max-type poolings whose windows are the same on every plane (max, adaptive-max).</summary>
internal static class MaxForward
{
    /// <summary>Each plane's window maxima into <paramref name="output"/>, and their flat positions into <paramref name="indices"/> unless it is empty.</summary>
    public static void Run<T>(PoolGeometry geometry, ReadOnlySpan<T> input, Span<T> output, Span<int> indices, PoolWindows rows, PoolWindows cols, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        geometry.CheckLengths(input.Length, output.Length);
        if (!indices.IsEmpty)
            geometry.CheckLengths(input.Length, indices.Length, outputName: nameof(indices));
        var (inLength, outLength) = (geometry.InputPlaneLength, geometry.OutputPlaneLength);
        for (var p = 0; p < geometry.Planes; p++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            MaxWindows.Forward(input.Slice(p * inLength, inLength), geometry.Axes[1].Input, rows, cols, output.Slice(p * outLength, outLength), indices.IsEmpty ? indices : indices.Slice(p * outLength, outLength));
        }
    }
}
