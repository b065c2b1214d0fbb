using System.Numerics;
using ConvService.Domain.Pooling.Reductions;
using ConvService.Domain.Pooling.Windows;

namespace ConvService.Domain.Pooling;

/// <summary>
/// The one core of every pooling mode: plane by plane, the windows of a <see cref="WindowSource"/> (sliding, adaptive
/// or fractional) reduced by an <see cref="IPoolReduction{T}"/> (max, mean or power mean). The spans are already cut to
/// the planes of <c>part</c>; samples are those planes' fractional-max samples (empty for other modes).
/// </summary>
internal static class WindowedPool
{
    /// <exception cref="ArgumentOutOfRangeException">A span's length does not match <paramref name="part"/>.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; polled per plane.</exception>
    public static void Forward<T>(PoolGeometry part, ReadOnlySpan<T> input, ReadOnlySpan<T> samples, Span<T> output, Span<int> indices, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        part.CheckLengths(input.Length, output.Length);
        if (!indices.IsEmpty)
            part.CheckLengths(input.Length, indices.Length, outputName: nameof(indices));
        var windows = WindowSource.Create(part, samples);
        using var reduction = PoolReductions.Create<T>(part);
        var (inLength, outLength) = (part.InputPlaneLength, part.OutputPlaneLength);
        for (var p = 0; p < part.Planes; p++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            reduction.Forward(input.Slice(p * inLength, inLength), windows.Of(p), output.Slice(p * outLength, outLength), indices.IsEmpty ? indices : indices.Slice(p * outLength, outLength));
        }
    }

    /// <summary>Overwrites <paramref name="gradInput"/> with the gradient of <c>Σ output · gradOutput</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A span's length does not match <paramref name="part"/>.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; polled per plane.</exception>
    public static void Backward<T>(PoolGeometry part, ReadOnlySpan<T> input, ReadOnlySpan<T> samples, ReadOnlySpan<T> gradOutput, Span<T> gradInput, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        part.CheckLengths(input.Length, gradOutput.Length, outputName: nameof(gradOutput));
        part.CheckLengths(gradInput.Length, gradOutput.Length, nameof(gradInput), nameof(gradOutput));
        var windows = WindowSource.Create(part, samples);
        using var reduction = PoolReductions.Create<T>(part);
        var (inLength, outLength) = (part.InputPlaneLength, part.OutputPlaneLength);
        gradInput.Clear();
        for (var p = 0; p < part.Planes; p++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            reduction.Backward(input.Slice(p * inLength, inLength), windows.Of(p), gradOutput.Slice(p * outLength, outLength), gradInput.Slice(p * inLength, inLength));
        }
    }
}
