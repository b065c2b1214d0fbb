using System.Numerics;
using System.Runtime.Intrinsics;
using ConvService.Domain.Convolution.Kernels;

namespace ConvService.Domain.Tests.Convolution;

/// <summary>The kernels' vector operations that move elements between lanes.</summary>
public class SimdTests
{
    [Fact]
    public void StoreInterleaved_PutsEvensAndOddsInTurn()
    {
        CheckInterleave<float, Simd256<float>>();
        CheckInterleave<double, Simd256<double>>();
        if (Vector512.IsHardwareAccelerated)
        {
            CheckInterleave<float, Simd512<float>>();
            CheckInterleave<double, Simd512<double>>();
        }
    }

    private static unsafe void CheckInterleave<T, V>()
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var (evens, odds, output) = (new T[V.Count], new T[V.Count], new T[2 * V.Count]);
        for (var x = 0; x < V.Count; x++)
            (evens[x], odds[x]) = (T.CreateTruncating(2 * x), T.CreateTruncating(2 * x + 1));
        fixed (T* e = evens, o = odds, d = output)
            V.StoreInterleaved(V.Load(e), V.Load(o), d);
        Assert.Equal(Enumerable.Range(0, 2 * V.Count).Select(T.CreateTruncating), output);
    }

    [Fact]
    public void EvensAndOdds_TakeEverySecondElementOfTwoVectors()
    {
        CheckSplit<float, Simd256<float>>();
        CheckSplit<double, Simd256<double>>();
        if (Vector512.IsHardwareAccelerated)
        {
            CheckSplit<float, Simd512<float>>();
            CheckSplit<double, Simd512<double>>();
        }
    }

    private static unsafe void CheckSplit<T, V>()
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var (input, evens, odds) = (new T[2 * V.Count], new T[V.Count], new T[V.Count]);
        for (var x = 0; x < input.Length; x++)
            input[x] = T.CreateTruncating(x);
        fixed (T* i = input, e = evens, o = odds)
        {
            V.Store(V.Evens(V.Load(i), V.Load(i + V.Count)), e);
            V.Store(V.Odds(V.Load(i), V.Load(i + V.Count)), o);
        }
        Assert.Equal(Enumerable.Range(0, V.Count).Select(x => T.CreateTruncating(2 * x)), evens);
        Assert.Equal(Enumerable.Range(0, V.Count).Select(x => T.CreateTruncating(2 * x + 1)), odds);
    }

    [Fact]
    public void GatherStrided_TakesEveryNthElement()
    {
        CheckGather<float, Simd256<float>>();
        CheckGather<double, Simd256<double>>();
        if (Vector512.IsHardwareAccelerated)
        {
            CheckGather<float, Simd512<float>>();
            CheckGather<double, Simd512<double>>();
        }
    }

    private static unsafe void CheckGather<T, V>()
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        // Nine apart from element 4, as the kernel transform gathers a tap of consecutive 3 × 3 kernels; the second half's
        // lanes come from a gather of their own on AVX-512.
        var (input, gathered) = (new T[9 * V.Count + 4], new T[V.Count]);
        for (var x = 0; x < input.Length; x++)
            input[x] = T.CreateTruncating(x);
        fixed (T* i = input, g = gathered)
            V.Store(V.GatherStrided(i + 4, 9), g);
        Assert.Equal(Enumerable.Range(0, V.Count).Select(x => T.CreateTruncating(4 + 9 * x)), gathered);
    }

    [Fact]
    public void FoldLanes_ThroughEveryLevel_LeavesEachVectorsSumBitForBit()
    {
        // Summing in another order than Sum would change the kernel gradient's last bits: the framework's Sum is the oracle.
        CheckFolds<float, Simd256<float>>(r => Vector256.Sum(Vector256.Create(r)));
        CheckFolds<double, Simd256<double>>(r => Vector256.Sum(Vector256.Create(r)));
        if (Vector512.IsHardwareAccelerated)
        {
            CheckFolds<float, Simd512<float>>(r => Vector512.Sum(Vector512.Create(r)));
            CheckFolds<double, Simd512<double>>(r => Vector512.Sum(Vector512.Create(r)));
        }
    }

    [Fact]
    public void LaneFolds_PortableForm_MatchesTheIntrinsics()
    {
        CheckPortable<float, Simd256<float>>();
        CheckPortable<double, Simd256<double>>();
        if (Vector512.IsHardwareAccelerated)
        {
            CheckPortable<float, Simd512<float>>();
            CheckPortable<double, Simd512<double>>();
        }
    }

    /// <summary>Vectors of values over seven decades, whose sums round differently in almost any other order.</summary>
    private static T[][] Vectors<T>(int count, int lanes, int seed)
        where T : IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, lanes)
            .Select(_ => T.CreateTruncating((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 4)))).ToArray())];
    }

    private static unsafe void CheckFolds<T, V>(Func<T[], T> sum)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var levels = BitOperations.Log2((uint)V.Count);
        for (var seed = 0; seed < 200; seed++)
        {
            // As many vectors as one fold of every level takes, lane i of the result then holding vector i's sum.
            var vectors = Vectors<T>(V.Count, V.Count, seed);
            var folded = new V[V.Count];
            for (var i = 0; i < V.Count; i++)
            {
                fixed (T* v = vectors[i])
                    folded[i] = V.Load(v);
            }
            for (var (level, count) = (0, V.Count); level < levels; level++, count /= 2)
            {
                for (var i = 0; i < count / 2; i++)
                    folded[i] = V.FoldLanes(folded[2 * i], folded[2 * i + 1], level);
            }
            var lanes = new T[V.Count];
            fixed (T* l = lanes)
                V.Store(folded[0], l);
            for (var i = 0; i < V.Count; i++)
                Assert.True(lanes[i] == sum(vectors[i]), $"{typeof(V).Name}<{typeof(T).Name}> seed {seed}, vector {i}: folded {lanes[i]}, Sum {sum(vectors[i])}");
        }
    }

    private static unsafe void CheckPortable<T, V>()
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var (x, y) = (Vectors<T>(1, V.Count, 1)[0], Vectors<T>(1, V.Count, 2)[0]);
        for (var level = 0; level < BitOperations.Log2((uint)V.Count); level++)
        {
            var (portable, intrinsic) = (new T[V.Count], new T[V.Count]);
            LaneFolds.Fold<T>(x, y, level, portable);
            fixed (T* a = x, b = y, r = intrinsic)
                V.Store(V.FoldLanes(V.Load(a), V.Load(b), level), r);
            Assert.Equal(portable, intrinsic);
        }
    }
}
