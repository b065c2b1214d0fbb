using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ConvService.Domain.Pooling.Rows;

/// <summary><see cref="RowMath.FoldBlock{T, TOp}"/> with <see cref="MaxOp{T}"/> that also tracks where each maximum came from.</summary>
internal static class IndexedMax
{
    /// <summary>
    /// For every <c>w &lt; acc.Length</c>, starting from −∞ at position −1, and every tap <c>src[r·stride + w + t]</c>
    /// (<c>r &lt; rows</c>, <c>t &lt; k</c>) in row-major order: where the tap wins (greater or NaN) it becomes
    /// <c>acc[w]</c> and <c>at[w] = first + r·rowStep + w + t</c>. Positions are carried in <typeparamref name="T"/>, exact below 2^24.
    /// With <paramref name="resume"/> the fold starts from <c>acc[w]</c> at <c>at[w]</c> instead.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fold<T>(Span<T> acc, Span<T> at, ReadOnlySpan<T> src, int stride, int rows, int k, int first, int rowStep, bool resume = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(src.Length, (rows - 1) * stride + acc.Length + k - 1, nameof(src));
        ArgumentOutOfRangeException.ThrowIfLessThan(at.Length, acc.Length, nameof(at));
        ref var a = ref MemoryMarshal.GetReference(acc);
        ref var p = ref MemoryMarshal.GetReference(at);
        ref var s = ref MemoryMarshal.GetReference(src);
        var (n, w) = (acc.Length, 0);
        if (Vector512.IsHardwareAccelerated)
        {
            for (; w <= n - Vector512<T>.Count; w += Vector512<T>.Count)
            {
                var (v, i) = resume
                    ? (Vector512.LoadUnsafe(ref a, (nuint)w), Vector512.LoadUnsafe(ref p, (nuint)w))
                    : (Vector512.Create(T.NegativeInfinity), Vector512.Create(-T.One));
                for (var r = 0; r < rows; r++)
                {
                    var position = Vector512.Create(T.CreateTruncating(first + r * rowStep + w)) + Vector512<T>.Indices;
                    for (var t = 0; t < k; t++, position += Vector512<T>.One)
                    {
                        var x = Vector512.LoadUnsafe(ref s, (nuint)(r * stride + w + t));
                        var wins = Vector512.GreaterThan(x, v) | ~Vector512.Equals(x, x);
                        (v, i) = (Vector512.ConditionalSelect(wins, x, v), Vector512.ConditionalSelect(wins, position, i));
                    }
                }
                v.StoreUnsafe(ref a, (nuint)w);
                i.StoreUnsafe(ref p, (nuint)w);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; w <= n - Vector256<T>.Count; w += Vector256<T>.Count)
            {
                var (v, i) = resume
                    ? (Vector256.LoadUnsafe(ref a, (nuint)w), Vector256.LoadUnsafe(ref p, (nuint)w))
                    : (Vector256.Create(T.NegativeInfinity), Vector256.Create(-T.One));
                for (var r = 0; r < rows; r++)
                {
                    var position = Vector256.Create(T.CreateTruncating(first + r * rowStep + w)) + Vector256<T>.Indices;
                    for (var t = 0; t < k; t++, position += Vector256<T>.One)
                    {
                        var x = Vector256.LoadUnsafe(ref s, (nuint)(r * stride + w + t));
                        var wins = Vector256.GreaterThan(x, v) | ~Vector256.Equals(x, x);
                        (v, i) = (Vector256.ConditionalSelect(wins, x, v), Vector256.ConditionalSelect(wins, position, i));
                    }
                }
                v.StoreUnsafe(ref a, (nuint)w);
                i.StoreUnsafe(ref p, (nuint)w);
            }
        }
        for (; w < n; w++)
        {
            var (v, i) = resume ? (Unsafe.Add(ref a, w), Unsafe.Add(ref p, w)) : (T.NegativeInfinity, -T.One);
            for (var r = 0; r < rows; r++)
            {
                for (var t = 0; t < k; t++)
                {
                    var x = Unsafe.Add(ref s, r * stride + w + t);
                    if (x > v || T.IsNaN(x))
                        (v, i) = (x, T.CreateTruncating(first + r * rowStep + w + t));
                }
            }
            (Unsafe.Add(ref a, w), Unsafe.Add(ref p, w)) = (v, i);
        }
    }
}
