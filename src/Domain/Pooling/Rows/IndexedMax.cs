using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ConvService.Domain.Pooling.Rows;

/// <summary><see cref="RowMath.FoldWindows{T, TOp}"/> with <see cref="MaxOp{T}"/> that also tracks where each maximum came from.</summary>
internal static class IndexedMax
{
    /// <summary>
    /// For every <c>w &lt; acc.Length</c> and tap <c>t &lt; k</c> in order: where <c>src[w + t]</c> wins against
    /// <c>acc[w]</c> (greater or NaN), <c>acc[w] = src[w + t]</c> and <c>at[w] = first + w + t</c>. Positions are carried
    /// in <typeparamref name="T"/>, exact below 2^24.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fold<T>(Span<T> acc, Span<T> at, ReadOnlySpan<T> src, int k, int first)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(src.Length, acc.Length + k - 1, nameof(src));
        ArgumentOutOfRangeException.ThrowIfLessThan(at.Length, acc.Length, nameof(at));
        ref var a = ref MemoryMarshal.GetReference(acc);
        ref var p = ref MemoryMarshal.GetReference(at);
        ref var s = ref MemoryMarshal.GetReference(src);
        var (n, w) = (acc.Length, 0);
        if (Vector512.IsHardwareAccelerated)
        {
            for (; w <= n - Vector512<T>.Count; w += Vector512<T>.Count)
            {
                var (v, i) = (Vector512.LoadUnsafe(ref a, (nuint)w), Vector512.LoadUnsafe(ref p, (nuint)w));
                var position = Vector512.Create(T.CreateTruncating(first + w)) + Vector512<T>.Indices;
                for (var t = 0; t < k; t++, position += Vector512<T>.One)
                {
                    var x = Vector512.LoadUnsafe(ref s, (nuint)(w + t));
                    var wins = Vector512.GreaterThan(x, v) | ~Vector512.Equals(x, x);
                    (v, i) = (Vector512.ConditionalSelect(wins, x, v), Vector512.ConditionalSelect(wins, position, i));
                }
                v.StoreUnsafe(ref a, (nuint)w);
                i.StoreUnsafe(ref p, (nuint)w);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; w <= n - Vector256<T>.Count; w += Vector256<T>.Count)
            {
                var (v, i) = (Vector256.LoadUnsafe(ref a, (nuint)w), Vector256.LoadUnsafe(ref p, (nuint)w));
                var position = Vector256.Create(T.CreateTruncating(first + w)) + Vector256<T>.Indices;
                for (var t = 0; t < k; t++, position += Vector256<T>.One)
                {
                    var x = Vector256.LoadUnsafe(ref s, (nuint)(w + t));
                    var wins = Vector256.GreaterThan(x, v) | ~Vector256.Equals(x, x);
                    (v, i) = (Vector256.ConditionalSelect(wins, x, v), Vector256.ConditionalSelect(wins, position, i));
                }
                v.StoreUnsafe(ref a, (nuint)w);
                i.StoreUnsafe(ref p, (nuint)w);
            }
        }
        for (; w < n; w++)
        {
            var (v, i) = (Unsafe.Add(ref a, w), Unsafe.Add(ref p, w));
            for (var t = 0; t < k; t++)
            {
                var x = Unsafe.Add(ref s, w + t);
                if (x > v || T.IsNaN(x))
                    (v, i) = (x, T.CreateTruncating(first + w + t));
            }
            (Unsafe.Add(ref a, w), Unsafe.Add(ref p, w)) = (v, i);
        }
    }
}
