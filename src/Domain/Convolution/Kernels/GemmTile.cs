using System.Runtime.CompilerServices;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// The forward GEMM's register-blocked micro-kernel: a <see cref="Rows"/> × (<see cref="Vectors"/> vectors) tile of
/// <c>C += A·B</c>, twelve accumulators, one broadcast of A and three loads of B per k.
/// </summary>
internal static unsafe class GemmTile
{
    /// <summary>Rows of A (output channels) per tile.</summary>
    public const int Rows = 4;

    /// <summary>Vectors of B (pixels) per tile.</summary>
    public const int Vectors = 3;

    /// <summary>
    /// <c>c[r, x] (+)= Σ_k a[k·Rows + r] · b[offsets[k] + x]</c> for r &lt; 4, x &lt; 3·V.Count; <paramref name="c"/> has row
    /// pitch <paramref name="pitch"/>; <paramref name="accumulate"/> false overwrites it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, V>(T* a, T* b, int* offsets, int depth, T* c, int pitch, bool accumulate)
        where T : unmanaged
        where V : struct, ISimd<V, T>
    {
        var n = V.Count;
        V c00, c01, c02, c10, c11, c12, c20, c21, c22, c30, c31, c32;
        if (accumulate)
        {
            c00 = V.Load(c); c01 = V.Load(c + n); c02 = V.Load(c + 2 * n);
            c10 = V.Load(c + pitch); c11 = V.Load(c + pitch + n); c12 = V.Load(c + pitch + 2 * n);
            c20 = V.Load(c + 2 * pitch); c21 = V.Load(c + 2 * pitch + n); c22 = V.Load(c + 2 * pitch + 2 * n);
            c30 = V.Load(c + 3 * pitch); c31 = V.Load(c + 3 * pitch + n); c32 = V.Load(c + 3 * pitch + 2 * n);
        }
        else
        {
            c00 = c01 = c02 = c10 = c11 = c12 = c20 = c21 = c22 = c30 = c31 = c32 = V.Zero;
        }

        for (var k = 0; k < depth; k++)
        {
            var bk = b + offsets[k];
            var b0 = V.Load(bk);
            var b1 = V.Load(bk + n);
            var b2 = V.Load(bk + 2 * n);
            var a0 = V.Broadcast(a[0]);
            c00 = V.MultiplyAdd(a0, b0, c00); c01 = V.MultiplyAdd(a0, b1, c01); c02 = V.MultiplyAdd(a0, b2, c02);
            var a1 = V.Broadcast(a[1]);
            c10 = V.MultiplyAdd(a1, b0, c10); c11 = V.MultiplyAdd(a1, b1, c11); c12 = V.MultiplyAdd(a1, b2, c12);
            var a2 = V.Broadcast(a[2]);
            c20 = V.MultiplyAdd(a2, b0, c20); c21 = V.MultiplyAdd(a2, b1, c21); c22 = V.MultiplyAdd(a2, b2, c22);
            var a3 = V.Broadcast(a[3]);
            c30 = V.MultiplyAdd(a3, b0, c30); c31 = V.MultiplyAdd(a3, b1, c31); c32 = V.MultiplyAdd(a3, b2, c32);
            a += Rows;
        }

        V.Store(c00, c); V.Store(c01, c + n); V.Store(c02, c + 2 * n);
        V.Store(c10, c + pitch); V.Store(c11, c + pitch + n); V.Store(c12, c + pitch + 2 * n);
        V.Store(c20, c + 2 * pitch); V.Store(c21, c + 2 * pitch + n); V.Store(c22, c + 2 * pitch + 2 * n);
        V.Store(c30, c + 3 * pitch); V.Store(c31, c + 3 * pitch + n); V.Store(c32, c + 3 * pitch + 2 * n);
    }
}
