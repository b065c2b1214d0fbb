using System.Numerics;

namespace ConvService.Domain.Pooling;

/// <summary>Runs one mode's operator over a run of planes, the spans already cut to those planes.</summary>
internal static class PoolDispatch
{
    public static void Forward<T>(PoolMode mode, PoolGeometry part, ReadOnlySpan<T> input, ReadOnlySpan<T> samples, Span<T> output, Span<int> indices, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (mode)
        {
            case PoolMode.Max: MaxPool2d.Forward(part, input, output, indices, cancellationToken); break;
            case PoolMode.Avg: AvgPool2d.Forward(part, input, output, cancellationToken); break;
            case PoolMode.Lp: LpPool2d.Forward(part, input, output, cancellationToken); break;
            case PoolMode.FractionalMax: FractionalMaxPool2d.Forward(part, input, samples, output, indices, cancellationToken); break;
            case PoolMode.AdaptiveMax: AdaptiveMaxPool2d.Forward(part, input, output, indices, cancellationToken); break;
            default: AdaptiveAvgPool2d.Forward(part, input, output, cancellationToken); break;
        }
    }

    public static void Backward<T>(PoolMode mode, PoolGeometry part, ReadOnlySpan<T> input, ReadOnlySpan<T> samples, ReadOnlySpan<T> gradOutput, Span<T> gradInput, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (mode)
        {
            case PoolMode.Max: MaxPool2d.Backward(part, input, gradOutput, gradInput, cancellationToken); break;
            case PoolMode.Avg: AvgPool2d.Backward(part, gradOutput, gradInput, cancellationToken); break;
            case PoolMode.Lp: LpPool2d.Backward(part, input, gradOutput, gradInput, cancellationToken); break;
            case PoolMode.FractionalMax: FractionalMaxPool2d.Backward(part, input, samples, gradOutput, gradInput, cancellationToken); break;
            case PoolMode.AdaptiveMax: AdaptiveMaxPool2d.Backward(part, input, gradOutput, gradInput, cancellationToken); break;
            default: AdaptiveAvgPool2d.Backward(part, gradOutput, gradInput, cancellationToken); break;
        }
    }
}
