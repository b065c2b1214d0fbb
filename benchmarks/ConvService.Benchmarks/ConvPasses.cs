using System.Numerics;
using ConvService.Domain.Convolution;

namespace ConvService.Benchmarks;

/// <summary>The passes measured, both through the public operators (padding and its fold included).</summary>
public static class ConvPasses
{
    public static void Forward<T>(ConvData<T> data) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var output = Conv.Forward(data.Input, data.Kernel, null, data.Shape.Options);
    }

    /// <summary>The input and kernel gradients together (2× the forward's FLOPs), into buffers allocated once.</summary>
    public static void Backward<T>(ConvData<T> data) where T : unmanaged, IFloatingPointIeee754<T> =>
        Conv.Backward(data.Geometry, data.Input.Span, data.Kernel.Span, data.GradOutput.Span, data.GradInput.Span, data.GradKernel.Span, default);
}
