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
}
