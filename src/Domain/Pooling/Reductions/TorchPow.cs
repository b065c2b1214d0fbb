using System.Numerics;
using ConvService.Domain.Pooling.Rows;

namespace ConvService.Domain.Pooling.Reductions;

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

    /// <summary>
    /// <c>destination[k] = Of(x[k], exponent)</c>, whole rows at a time for the exponents computed by multiplication;
    /// <paramref name="destination"/> may be <paramref name="x"/> itself except for the cube.
    /// </summary>
    public static void Apply<T>(ReadOnlySpan<T> x, T exponent, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (exponent == T.One || exponent == T.CreateTruncating(2) || (exponent == T.CreateTruncating(3) && !x.Overlaps(destination)))
        {
            x.CopyTo(destination);
            if (exponent != T.One)
                RowMath.Apply<T, MultiplyOp<T>>(destination, x);
            if (exponent == T.CreateTruncating(3))
                RowMath.Apply<T, MultiplyOp<T>>(destination, x);
            return;
        }
        for (var k = 0; k < x.Length; k++)
            destination[k] = Of(x[k], exponent);
    }
}
