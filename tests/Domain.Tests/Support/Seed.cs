using ConvService.Domain.Tensors;

namespace ConvService.Domain.Tests.Support;

/// <summary>The seed homework's matrices (../shared/seed): a 5×5 image A and a 3×3 kernel B.</summary>
internal static class Seed
{
    public static readonly double[] Image = [4, 5, 2, 2, 1, 3, 3, 2, 2, 4, 4, 3, 4, 1, 1, 5, 1, 4, 1, 2, 5, 1, 3, 1, 4];
    public static readonly double[] Kernel = [4, 3, 3, 5, 5, 5, 2, 4, 3];

    public static Tensor<T> Tensor<T>(double[] values, params int[] shape) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var tensor = Tensors.Tensor<T>.Uninitialized(new TensorShape(shape));
        for (var i = 0; i < values.Length; i++)
            tensor.Span[i] = T.CreateTruncating(values[i]);
        return tensor;
    }
}
