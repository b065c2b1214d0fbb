using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ConvService.Domain.Pooling.Rows;

/// <summary>Row loops over contiguous memory: Vector512 where accelerated, then Vector256, Vector128 and a scalar tail.</summary>
internal static class RowMath
{
    /// <summary>
    /// <c>acc[w] = op(…op(op(init, src[w]), src[w + 1])…)</c> over the taps <c>src[r·stride + w + t]</c> for rows
    /// <c>r &lt; rows</c> and <c>t &lt; k</c> in row-major order: a rows×k window starting at every column, folded in registers.
    /// With <paramref name="resume"/> the fold starts from <c>acc[w]</c> instead of <paramref name="init"/>, so that a
    /// window made of several blocks (a 3-D window's depth taps) folds in one tap order.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="src"/> is shorter than the last row's taps.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FoldBlock<T, TOp>(Span<T> acc, ReadOnlySpan<T> src, int stride, int rows, int k, T init, bool resume = false)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : IRowOp<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(src.Length, (rows - 1) * stride + acc.Length + k - 1, nameof(src));
        ref var a = ref MemoryMarshal.GetReference(acc);
        ref var s = ref MemoryMarshal.GetReference(src);
        var (n, w) = (acc.Length, 0);
        if (Vector512.IsHardwareAccelerated)
        {
            // Two vectors per pass: two independent dependency chains keep the adder busy.
            for (; w <= n - 2 * Vector512<T>.Count; w += 2 * Vector512<T>.Count)
            {
                var (v, u) = resume
                    ? (Vector512.LoadUnsafe(ref a, (nuint)w), Vector512.LoadUnsafe(ref a, (nuint)(w + Vector512<T>.Count)))
                    : (Vector512.Create(init), Vector512.Create(init));
                for (var r = 0; r < rows; r++)
                {
                    for (var t = 0; t < k; t++)
                    {
                        v = TOp.Apply(v, Vector512.LoadUnsafe(ref s, (nuint)(r * stride + w + t)));
                        u = TOp.Apply(u, Vector512.LoadUnsafe(ref s, (nuint)(r * stride + w + Vector512<T>.Count + t)));
                    }
                }
                v.StoreUnsafe(ref a, (nuint)w);
                u.StoreUnsafe(ref a, (nuint)(w + Vector512<T>.Count));
            }
            for (; w <= n - Vector512<T>.Count; w += Vector512<T>.Count)
            {
                var v = resume ? Vector512.LoadUnsafe(ref a, (nuint)w) : Vector512.Create(init);
                for (var r = 0; r < rows; r++)
                {
                    for (var t = 0; t < k; t++)
                        v = TOp.Apply(v, Vector512.LoadUnsafe(ref s, (nuint)(r * stride + w + t)));
                }
                v.StoreUnsafe(ref a, (nuint)w);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; w <= n - Vector256<T>.Count; w += Vector256<T>.Count)
            {
                var v = resume ? Vector256.LoadUnsafe(ref a, (nuint)w) : Vector256.Create(init);
                for (var r = 0; r < rows; r++)
                {
                    for (var t = 0; t < k; t++)
                        v = TOp.Apply(v, Vector256.LoadUnsafe(ref s, (nuint)(r * stride + w + t)));
                }
                v.StoreUnsafe(ref a, (nuint)w);
            }
        }
        for (; w < n; w++)
        {
            var v = resume ? Unsafe.Add(ref a, w) : init;
            for (var r = 0; r < rows; r++)
            {
                for (var t = 0; t < k; t++)
                    v = TOp.Apply(v, Unsafe.Add(ref s, r * stride + w + t));
            }
            Unsafe.Add(ref a, w) = v;
        }
    }

    /// <summary><c>acc[w] = op(acc[w], src[w])</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="src"/> is shorter than <paramref name="acc"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply<T, TOp>(Span<T> acc, ReadOnlySpan<T> src)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : IRowOp<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(src.Length, acc.Length, nameof(src));
        ref var a = ref MemoryMarshal.GetReference(acc);
        ref var s = ref MemoryMarshal.GetReference(src);
        var (n, w) = (acc.Length, 0);
        if (Vector512.IsHardwareAccelerated)
        {
            for (; w <= n - Vector512<T>.Count; w += Vector512<T>.Count)
                TOp.Apply(Vector512.LoadUnsafe(ref a, (nuint)w), Vector512.LoadUnsafe(ref s, (nuint)w)).StoreUnsafe(ref a, (nuint)w);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; w <= n - Vector256<T>.Count; w += Vector256<T>.Count)
                TOp.Apply(Vector256.LoadUnsafe(ref a, (nuint)w), Vector256.LoadUnsafe(ref s, (nuint)w)).StoreUnsafe(ref a, (nuint)w);
        }
        if (Vector128.IsHardwareAccelerated)
        {
            for (; w <= n - Vector128<T>.Count; w += Vector128<T>.Count)
                TOp.Apply(Vector128.LoadUnsafe(ref a, (nuint)w), Vector128.LoadUnsafe(ref s, (nuint)w)).StoreUnsafe(ref a, (nuint)w);
        }
        for (; w < n; w++)
            Unsafe.Add(ref a, w) = TOp.Apply(Unsafe.Add(ref a, w), Unsafe.Add(ref s, w));
    }
}
