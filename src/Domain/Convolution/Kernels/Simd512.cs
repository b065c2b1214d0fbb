using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary><see cref="ISimd{TSelf, T}"/> over <see cref="Vector512{T}"/> (AVX-512).</summary>
internal readonly unsafe struct Simd512<T> : ISimd<Simd512<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Vector512<T> _value;

    private Simd512(Vector512<T> value) => _value = value;

    public static int Count => Vector512<T>.Count;

    /// <summary>zmm0–zmm31.</summary>
    public static int Registers => 32;

    public static bool CheapMaskedStores => true;

    public static Simd512<T> Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Load(T* source) => new(Vector512.Load(source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Simd512<T> value, T* destination) => value._value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Broadcast(T value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> MultiplyAdd(Simd512<T> a, Simd512<T> b, Simd512<T> c) => new(Fused(a._value, b._value, c._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAddTo(ref Simd512<T> sum, Simd512<T> a, Simd512<T> b) =>
        Unsafe.AsRef(in sum._value) = Fused(a._value, b._value, sum._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Add(Simd512<T> a, Simd512<T> b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Subtract(Simd512<T> a, Simd512<T> b) => new(a._value - b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Multiply(Simd512<T> a, Simd512<T> b) => new(a._value * b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> GatherStrided(T* source, int stride)
    {
        // .NET has no AVX-512 gather: two AVX2 gathers of half a vector each.
        if (Avx2.IsSupported && typeof(T) == typeof(float))
        {
            var index = Vector256<int>.Indices * stride;
            var half = (float*)source + (long)Vector256<float>.Count * stride;
            return new(Vector512.Create(Avx2.GatherVector256((float*)source, index, sizeof(float)), Avx2.GatherVector256(half, index, sizeof(float))).As<float, T>());
        }
        if (Avx2.IsSupported && typeof(T) == typeof(double))
        {
            var index = Vector128<int>.Indices * stride;
            var half = (double*)source + (long)Vector256<double>.Count * stride;
            return new(Vector512.Create(Avx2.GatherVector256((double*)source, index, sizeof(double)), Avx2.GatherVector256(half, index, sizeof(double))).As<double, T>());
        }
        var lanes = new T[Count];
        for (var x = 0; x < Count; x++)
            lanes[x] = source[(long)x * stride];
        return new(Vector512.Create<T>(lanes));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Evens(Simd512<T> low, Simd512<T> high)
    {
        // One two-source permute (vpermt2ps/pd) where AVX-512 is there; else each input's even lanes into its lower half
        // (a constant shuffle), then the two halves joined.
        if (Avx512F.IsSupported && typeof(T) == typeof(double))
            return new(Avx512F.PermuteVar8x64x2(low._value.AsDouble(), Vector512.Create(0L, 2, 4, 6, 8, 10, 12, 14), high._value.AsDouble()).As<double, T>());
        if (Avx512F.IsSupported && typeof(T) == typeof(float))
            return new(Avx512F.PermuteVar16x32x2(low._value.AsSingle(), Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30), high._value.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double))
            return new(Join(Vector512.Shuffle(low._value.AsDouble(), EvenLongs), Vector512.Shuffle(high._value.AsDouble(), EvenLongs)).As<double, T>());
        return new(Join(Vector512.Shuffle(low._value.AsSingle(), EvenInts), Vector512.Shuffle(high._value.AsSingle(), EvenInts)).As<float, T>());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Odds(Simd512<T> low, Simd512<T> high)
    {
        if (Avx512F.IsSupported && typeof(T) == typeof(double))
            return new(Avx512F.PermuteVar8x64x2(low._value.AsDouble(), Vector512.Create(1L, 3, 5, 7, 9, 11, 13, 15), high._value.AsDouble()).As<double, T>());
        if (Avx512F.IsSupported && typeof(T) == typeof(float))
            return new(Avx512F.PermuteVar16x32x2(low._value.AsSingle(), Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31), high._value.AsSingle()).As<float, T>());
        var (lows, highs, odds) = (new T[Count], new T[Count], new T[Count]);
        low._value.CopyTo(lows);
        high._value.CopyTo(highs);
        for (var x = 0; x < Count; x++)
            odds[x] = x < Count / 2 ? lows[2 * x + 1] : highs[2 * x + 1 - Count];
        return new(Vector512.Create<T>(odds));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreInterleaved(Simd512<T> evens, Simd512<T> odds, T* destination)
    {
        if (Avx512F.IsSupported && typeof(T) == typeof(double))
        {
            var (a, b) = (evens._value.AsDouble(), odds._value.AsDouble());
            Avx512F.PermuteVar8x64x2(a, Vector512.Create(0L, 8, 1, 9, 2, 10, 3, 11), b).Store((double*)destination);
            Avx512F.PermuteVar8x64x2(a, Vector512.Create(4L, 12, 5, 13, 6, 14, 7, 15), b).Store((double*)destination + Count);
            return;
        }
        if (Avx512F.IsSupported && typeof(T) == typeof(float))
        {
            var (a, b) = (evens._value.AsSingle(), odds._value.AsSingle());
            Avx512F.PermuteVar16x32x2(a, Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23), b).Store((float*)destination);
            Avx512F.PermuteVar16x32x2(a, Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31), b).Store((float*)destination + Count);
            return;
        }
        for (var x = 0; x < Count; x++)
            (destination[2 * x], destination[2 * x + 1]) = (evens._value[x], odds._value[x]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Simd512<T> value) => Vector512.Sum(value._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Lane(Simd512<T> value, int index) => value._value.GetElement(index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> FoldLanes(Simd512<T> x, Simd512<T> y, int level)
    {
        // vshufps pairs lanes within each 128-bit block ((0, 2, 0, 2) and (1, 3, 1, 3) of x then y), vshuff32x4 blocks
        // within the vector; for double, vunpcklpd/vunpckhpd pair the block's two lanes.
        if (Avx512F.IsSupported && typeof(T) == typeof(float))
        {
            var (a, b) = (x._value.AsSingle(), y._value.AsSingle());
            return new((level < 2 ? Avx512F.Shuffle(a, b, 0x88) + Avx512F.Shuffle(a, b, 0xDD) : Avx512F.Shuffle4x128(a, b, 0x88) + Avx512F.Shuffle4x128(a, b, 0xDD)).As<float, T>());
        }
        if (Avx512F.IsSupported && typeof(T) == typeof(double))
        {
            var (a, b) = (x._value.AsDouble(), y._value.AsDouble());
            return new((level < 1 ? Avx512F.UnpackLow(a, b) + Avx512F.UnpackHigh(a, b) : Avx512F.Shuffle4x128(a, b, 0x88) + Avx512F.Shuffle4x128(a, b, 0xDD)).As<double, T>());
        }
        var (xs, ys, folded) = (new T[Count], new T[Count], new T[Count]);
        x._value.CopyTo(xs);
        y._value.CopyTo(ys);
        LaneFolds.Fold(xs, ys, level, folded);
        return new(Vector512.Create<T>(folded));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Lanes(int from, int to)
    {
        if (typeof(T) == typeof(double))
        {
            var lane = Vector512<long>.Indices;
            return new((Vector512.GreaterThanOrEqual(lane, Vector512.Create((long)from)) & Vector512.LessThan(lane, Vector512.Create((long)to))).As<long, T>());
        }
        var index = Vector512<int>.Indices;
        return new((Vector512.GreaterThanOrEqual(index, Vector512.Create(from)) & Vector512.LessThan(index, Vector512.Create(to))).As<int, T>());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreMasked(Simd512<T> value, T* destination, Simd512<T> mask)
    {
        if (Avx512F.IsSupported)
        {
            if (typeof(T) == typeof(double))
                Avx512F.MaskStore((double*)destination, mask._value.AsDouble(), value._value.AsDouble());
            else
                Avx512F.MaskStore((float*)destination, mask._value.AsSingle(), value._value.AsSingle());
            return;
        }
        for (var x = 0; x < Count; x++)
        {
            if (T.IsNegative(mask._value[x]))
                destination[x] = value._value[x];
        }
    }

    // In-range indices (the upper half repeats the lower), so the shuffle is one permute with nothing to zero.
    private static Vector512<int> EvenInts => Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 0, 2, 4, 6, 8, 10, 12, 14);

    private static Vector512<long> EvenLongs => Vector512.Create(0L, 2, 4, 6, 0, 2, 4, 6);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<TLane> Join<TLane>(Vector512<TLane> low, Vector512<TLane> high) => Vector512.Create(low.GetLower(), high.GetLower());

    /// <summary><c>a·b + c</c>, one fused multiply-add per lane for float and double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fused(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        // typeof(T) tests are JIT-time constants: each instantiation keeps exactly one branch.
        if (typeof(T) == typeof(double))
            return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return a * b + c;
    }
}
