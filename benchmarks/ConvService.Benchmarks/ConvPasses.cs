using System.Numerics;
using ConvService.Domain.Convolution;
using ConvService.Domain.Convolution.Kernels;

namespace ConvService.Benchmarks;

/// <summary>The passes measured: forward through the public operator (padding included), backward as both kernel gradients.</summary>
public static class ConvPasses
{
    public static void Forward<T>(ConvData<T> data) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var output = Conv.Forward(data.Input, data.Kernel, null, data.Shape.Options);
    }

    /// <summary>The input and kernel gradients together (2× the forward's FLOPs).</summary>
    public static void Backward<T>(ConvData<T> data) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = data.Shape.PaddedGeometry;
        FastConv.BackwardData<T>(g, data.GradOutput.Span, data.Kernel.Span, data.GradPadded.Span, CancellationToken.None);
        FastConv.BackwardKernel<T>(g, data.Padded.Span, data.GradOutput.Span, data.GradKernel.Span, CancellationToken.None);
    }
}
