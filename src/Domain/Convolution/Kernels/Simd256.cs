using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary><see cref="ISimd{TSelf, T}"/> over <see cref="Vector256{T}"/> (AVX2).</summary>
internal readonly unsafe struct Simd256<T> : ISimd<Simd256<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Vector256<T> _value;

    private Simd256(Vector256<T> value) => _value = value;

    public static int Count => Vector256<T>.Count;

    /// <summary>ymm0–ymm15: AVX2 has no more.</summary>
    public static int Registers => 16;

    public static bool CheapMaskedStores => false;

    public static Simd256<T> Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Load(T* source) => new(Vector256.Load(source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Simd256<T> value, T* destination) => value._value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Broadcast(T value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> MultiplyAdd(Simd256<T> a, Simd256<T> b, Simd256<T> c) => new(Fused(a._value, b._value, c._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAddTo(ref Simd256<T> sum, Simd256<T> a, Simd256<T> b) =>
        Unsafe.AsRef(in sum._value) = Fused(a._value, b._value, sum._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Add(Simd256<T> a, Simd256<T> b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Subtract(Simd256<T> a, Simd256<T> b) => new(a._value - b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Multiply(Simd256<T> a, Simd256<T> b) => new(a._value * b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> GatherStrided(T* source, int stride)
    {
        if (Avx2.IsSupported && typeof(T) == typeof(float))
            return new(Avx2.GatherVector256((float*)source, Vector256<int>.Indices * stride, sizeof(float)).As<float, T>());
        if (Avx2.IsSupported && typeof(T) == typeof(double))
            return new(Avx2.GatherVector256((double*)source, Vector128<int>.Indices * stride, sizeof(double)).As<double, T>());
        var lanes = new T[Count];
        for (var x = 0; x < Count; x++)
            lanes[x] = source[(long)x * stride];
        return new(Vector256.Create<T>(lanes));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Evens(Simd256<T> low, Simd256<T> high)
    {
        // Gather each input's even lanes into its lower half (a constant shuffle), then join the two halves.
        if (typeof(T) == typeof(double))
            return new(Join(Vector256.Shuffle(low._value.AsDouble(), EvenLongs), Vector256.Shuffle(high._value.AsDouble(), EvenLongs)).As<double, T>());
        return new(Join(Vector256.Shuffle(low._value.AsSingle(), EvenInts), Vector256.Shuffle(high._value.AsSingle(), EvenInts)).As<float, T>());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Odds(Simd256<T> low, Simd256<T> high)
    {
        if (typeof(T) == typeof(double))
            return new(Join(Vector256.Shuffle(low._value.AsDouble(), OddLongs), Vector256.Shuffle(high._value.AsDouble(), OddLongs)).As<double, T>());
        return new(Join(Vector256.Shuffle(low._value.AsSingle(), OddInts), Vector256.Shuffle(high._value.AsSingle(), OddInts)).As<float, T>());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreInterleaved(Simd256<T> evens, Simd256<T> odds, T* destination)
    {
        // Unpacking interleaves within each 128-bit half; the two halves are then put in order.
        if (Avx.IsSupported && typeof(T) == typeof(double))
        {
            var (a, b) = (evens._value.AsDouble(), odds._value.AsDouble());
            var (low, high) = (Avx.UnpackLow(a, b), Avx.UnpackHigh(a, b));
            Avx.Permute2x128(low, high, 0x20).Store((double*)destination);
            Avx.Permute2x128(low, high, 0x31).Store((double*)destination + Count);
            return;
        }
        if (Avx.IsSupported && typeof(T) == typeof(float))
        {
            var (a, b) = (evens._value.AsSingle(), odds._value.AsSingle());
            var (low, high) = (Avx.UnpackLow(a, b), Avx.UnpackHigh(a, b));
            Avx.Permute2x128(low, high, 0x20).Store((float*)destination);
            Avx.Permute2x128(low, high, 0x31).Store((float*)destination + Count);
            return;
        }
        for (var x = 0; x < Count; x++)
            (destination[2 * x], destination[2 * x + 1]) = (evens._value[x], odds._value[x]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Simd256<T> value) => Vector256.Sum(value._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Lane(Simd256<T> value, int index) => value._value.GetElement(index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> FoldLanes(Simd256<T> x, Simd256<T> y, int level)
    {
        // vshufps pairs lanes within each 128-bit block ((0, 2, 0, 2) and (1, 3, 1, 3) of x then y), vperm2f128 the two
        // blocks; for double, vunpcklpd/vunpckhpd pair the block's two lanes.
        if (Avx.IsSupported && typeof(T) == typeof(float))
        {
            var (a, b) = (x._value.AsSingle(), y._value.AsSingle());
            return new((level < 2 ? Avx.Shuffle(a, b, 0x88) + Avx.Shuffle(a, b, 0xDD) : Avx.Permute2x128(a, b, 0x20) + Avx.Permute2x128(a, b, 0x31)).As<float, T>());
        }
        if (Avx.IsSupported && typeof(T) == typeof(double))
        {
            var (a, b) = (x._value.AsDouble(), y._value.AsDouble());
            return new((level < 1 ? Avx.UnpackLow(a, b) + Avx.UnpackHigh(a, b) : Avx.Permute2x128(a, b, 0x20) + Avx.Permute2x128(a, b, 0x31)).As<double, T>());
        }
        var (xs, ys, folded) = (new T[Count], new T[Count], new T[Count]);
        x._value.CopyTo(xs);
        y._value.CopyTo(ys);
        LaneFolds.Fold(xs, ys, level, folded);
        return new(Vector256.Create<T>(folded));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Lanes(int from, int to)
    {
        if (typeof(T) == typeof(double))
        {
            var lane = Vector256<long>.Indices;
            return new((Vector256.GreaterThanOrEqual(lane, Vector256.Create((long)from)) & Vector256.LessThan(lane, Vector256.Create((long)to))).As<long, T>());
        }
        var index = Vector256<int>.Indices;
        return new((Vector256.GreaterThanOrEqual(index, Vector256.Create(from)) & Vector256.LessThan(index, Vector256.Create(to))).As<int, T>());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreMasked(Simd256<T> value, T* destination, Simd256<T> mask)
    {
        if (Avx.IsSupported)
        {
            if (typeof(T) == typeof(double))
                Avx.MaskStore((double*)destination, mask._value.AsDouble(), value._value.AsDouble());
            else
                Avx.MaskStore((float*)destination, mask._value.AsSingle(), value._value.AsSingle());
            return;
        }
        for (var x = 0; x < Count; x++)
        {
            if (T.IsNegative(mask._value[x]))
                destination[x] = value._value[x];
        }
    }

    // In-range indices (the upper half repeats the lower), so the shuffle is one permute with nothing to zero.
    private static Vector256<int> EvenInts => Vector256.Create(0, 2, 4, 6, 0, 2, 4, 6);

    private static Vector256<int> OddInts => Vector256.Create(1, 3, 5, 7, 1, 3, 5, 7);

    private static Vector256<long> OddLongs => Vector256.Create(1L, 3, 1, 3);

    private static Vector256<long> EvenLongs => Vector256.Create(0L, 2, 0, 2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<TLane> Join<TLane>(Vector256<TLane> low, Vector256<TLane> high) => Vector256.Create(low.GetLower(), high.GetLower());

    /// <summary><c>a·b + c</c>, one fused multiply-add per lane for float and double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fused(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        // typeof(T) tests are JIT-time constants: each instantiation keeps exactly one branch.
        if (typeof(T) == typeof(double))
            return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        if (typeof(T) == typeof(float))
            return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return a * b + c;
    }
}
