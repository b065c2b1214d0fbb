using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ConvService.Domain.Pooling.Rows;

/// <summary>In-place unary row loops: Vector512 where accelerated, then Vector256 and a scalar tail.</summary>
internal static class RowScale
{
    /// <summary><c>values[k] = sqrt(values[k] · factor)</c>, each step rounded as the scalar expression rounds it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyThenSqrt<T>(Span<T> values, T factor, bool sqrt) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var v = ref MemoryMarshal.GetReference(values);
        var w = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var f = Vector512.Create(factor);
            for (; w <= values.Length - Vector512<T>.Count; w += Vector512<T>.Count)
            {
                var x = Vector512.LoadUnsafe(ref v, (nuint)w) * f;
                (sqrt ? Vector512.Sqrt(x) : x).StoreUnsafe(ref v, (nuint)w);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var f = Vector256.Create(factor);
            for (; w <= values.Length - Vector256<T>.Count; w += Vector256<T>.Count)
            {
                var x = Vector256.LoadUnsafe(ref v, (nuint)w) * f;
                (sqrt ? Vector256.Sqrt(x) : x).StoreUnsafe(ref v, (nuint)w);
            }
        }
        for (; w < values.Length; w++)
        {
            var x = Unsafe.Add(ref v, w) * factor;
            Unsafe.Add(ref v, w) = sqrt ? T.Sqrt(x) : x;
        }
    }
}
