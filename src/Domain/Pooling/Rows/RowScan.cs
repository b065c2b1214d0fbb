using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ConvService.Domain.Pooling.Rows;

/// <summary>Whole-plane checks that pick a row kernel.</summary>
internal static class RowScan
{
    /// <summary>Whether any element is NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool HasNaN<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var v = ref MemoryMarshal.GetReference(values);
        var w = 0;
        if (Vector512.IsHardwareAccelerated && values.Length >= Vector512<T>.Count)
        {
            var nan = Vector512<T>.Zero;
            for (; w <= values.Length - Vector512<T>.Count; w += Vector512<T>.Count)
            {
                var x = Vector512.LoadUnsafe(ref v, (nuint)w);
                nan |= ~Vector512.Equals(x, x);
            }
            if (nan != Vector512<T>.Zero)
                return true;
        }
        if (Vector256.IsHardwareAccelerated && values.Length - w >= Vector256<T>.Count)
        {
            var nan = Vector256<T>.Zero;
            for (; w <= values.Length - Vector256<T>.Count; w += Vector256<T>.Count)
            {
                var x = Vector256.LoadUnsafe(ref v, (nuint)w);
                nan |= ~Vector256.Equals(x, x);
            }
            if (nan != Vector256<T>.Zero)
                return true;
        }
        for (; w < values.Length; w++)
        {
            if (T.IsNaN(Unsafe.Add(ref v, w)))
                return true;
        }
        return false;
    }
}
