using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ConvService.Domain.Convolution.Kernels;

namespace ConvService.Benchmarks;

/// <summary>
/// The machine's fused multiply-add ceiling measured now: every core runs twelve independent chains of the kernels' own
/// vector type, enough to cover the FMA latency on both of Zen 5's 512-bit pipes. Kernel figures read as a share of it.
/// </summary>
public static class FmaPeak
{
    private const int Steps = 1 << 20;

    /// <summary>GFLOP/s of <typeparamref name="T"/> on all cores: the median of 15 timed rounds.</summary>
    public static double Measure<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector512.IsHardwareAccelerated ? Measure<T, Simd512<T>>() : Measure<T, Simd256<T>>();

    private static double Measure<T, V>()
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var workers = Environment.ProcessorCount;
        var rounds = new double[15];
        Parallel.For(0, workers, _ => Chains<T, V>(Steps / 16));
        for (var round = 0; round < rounds.Length; round++)
        {
            var watch = Stopwatch.StartNew();
            Parallel.For(0, workers, _ => Chains<T, V>(Steps));
            rounds[round] = workers * (double)Steps * 12 * V.Count * 2 / watch.Elapsed.TotalSeconds / 1e9;
        }
        Array.Sort(rounds);
        return rounds[rounds.Length / 2];
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static T Chains<T, V>(int steps)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var (m, d) = (V.Broadcast(T.CreateTruncating(0.999)), V.Broadcast(T.CreateTruncating(1e-4)));
        V c0 = V.Broadcast(T.One), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (var i = 0; i < steps; i++)
        {
            c0 = V.MultiplyAdd(c0, m, d); c1 = V.MultiplyAdd(c1, m, d); c2 = V.MultiplyAdd(c2, m, d); c3 = V.MultiplyAdd(c3, m, d);
            c4 = V.MultiplyAdd(c4, m, d); c5 = V.MultiplyAdd(c5, m, d); c6 = V.MultiplyAdd(c6, m, d); c7 = V.MultiplyAdd(c7, m, d);
            c8 = V.MultiplyAdd(c8, m, d); c9 = V.MultiplyAdd(c9, m, d); c10 = V.MultiplyAdd(c10, m, d); c11 = V.MultiplyAdd(c11, m, d);
        }
        return V.Sum(V.Add(V.Add(V.Add(c0, c1), V.Add(c2, c3)), V.Add(V.Add(V.Add(c4, c5), V.Add(c6, c7)), V.Add(V.Add(c8, c9), V.Add(c10, c11)))));
    }
}
