using System.Numerics;

namespace ConvService.Domain.Pooling;

/// <summary><c>torch.pow(tensor, scalar)</c>: the exponents PyTorch computes by multiplication or square root, and <c>pow</c> otherwise.</summary>
internal static class TorchPow
{
    public static T Of<T>(T x, T exponent) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (exponent == T.One)
            return x;
        if (exponent == T.CreateTruncating(2))
            return x * x;
        if (exponent == T.CreateTruncating(3))
            return x * x * x;
        if (exponent == T.CreateTruncating(0.5))
            return T.Sqrt(x);
        return T.Pow(x, exponent);
    }
}
