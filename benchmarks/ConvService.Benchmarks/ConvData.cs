using System.Numerics;
using ConvService.Domain.Convolution;
using ConvService.Domain.Tensors;

namespace ConvService.Benchmarks;

/// <summary>Seeded random tensors for one shape and element type, and the pass being measured.</summary>
public sealed class ConvData<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    public ConvData(ConvShape shape)
    {
        var random = new Random(5);
        Shape = shape;
        Geometry = shape.Geometry;
        Input = Random(shape.Input, random);
        Kernel = Random(shape.Kernel, random);
        Padded = Random(shape.PaddedGeometry.PaddedShape, random);
        GradOutput = Random(shape.PaddedGeometry.OutputShape, random);
        GradPadded = Tensor<T>.Uninitialized(Padded.Shape);
        GradInput = Tensor<T>.Uninitialized(Input.Shape);
        GradKernel = Tensor<T>.Uninitialized(Kernel.Shape);
    }

    public ConvShape Shape { get; }

    public ConvGeometry Geometry { get; }

    public Tensor<T> Input { get; }

    public Tensor<T> Kernel { get; }

    public Tensor<T> Padded { get; }

    public Tensor<T> GradOutput { get; }

    public Tensor<T> GradPadded { get; }

    public Tensor<T> GradInput { get; }

    public Tensor<T> GradKernel { get; }

    public void Dispose()
    {
        foreach (var tensor in new[] { Input, Kernel, Padded, GradOutput, GradPadded, GradInput, GradKernel })
            tensor.Dispose();
    }

    private static Tensor<T> Random(TensorShape shape, Random random)
    {
        var tensor = Tensor<T>.Uninitialized(shape);
        foreach (ref var value in tensor.Span)
            value = T.CreateTruncating(random.NextDouble() * 2 - 1);
        return tensor;
    }
}
