using System.Runtime.CompilerServices;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// Moves a row of computed pixels out of C's block along the block's <see cref="PixelRuns"/>: into an NCHW output row
/// (virtual pixels that are no output dropped), or added into col2im's destination.
/// </summary>
internal static unsafe class OutputRows
{
    /// <summary>
    /// <c>output[target + x] = row[offset + x·step] + bias</c> for each run (offset, target, count) and x &lt; count: the
    /// virtual pixels of <see cref="PixelRuns.Virtual"/> to their outputs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Write<T, V>(T* row, int* runs, int runCount, int step, T bias, T* output)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        for (var run = 0; run < runCount; run++, runs += PixelRuns.Stride)
            Copy<T, V>(row + runs[0], step, output + runs[1], runs[2], bias);
    }

    /// <summary><c>output[x] = row[x] + bias</c> for x &lt; <paramref name="count"/>: a block whose pixels are the outputs.</summary>
    public static void WriteDense<T, V>(T* row, T* output, int count, T bias)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T> =>
        Copy<T, V>(row, 1, output, count, bias);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Copy<T, V>(T* src, int step, T* dst, int count, T bias)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var j = 0;
        if (step == 1 && count >= V.Count)
        {
            var b = V.Broadcast(bias);
            for (; j + V.Count <= count; j += V.Count)
                V.Store(V.Add(V.Load(src + j), b), dst + j);
            // The last partial vector again ends flush with the row: rewriting a few elements beats a scalar loop.
            j = count - V.Count;
            V.Store(V.Add(V.Load(src + j), b), dst + j);
            return;
        }
        for (; j < count; j++)
            dst[j] = src[j * step] + bias;
    }

    /// <summary><c>destination[x] += row[x]</c> for x &lt; <paramref name="count"/>: col2im's scatter of one im2col row.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static void AddTo<T, V>(T* row, T* destination, int count)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var x = 0;
        for (; x + V.Count <= count; x += V.Count)
            V.Store(V.Add(V.Load(destination + x), V.Load(row + x)), destination + x);
        for (; x < count; x++)
            destination[x] += row[x];
    }

    /// <summary>
    /// <c>destination[target + x·step] += row[offset + x]</c> for each run (offset, target, count) of
    /// <see cref="PixelRuns.Dense"/>: col2im's scatter of one im2col row computed over outputs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddThrough<T, V>(T* row, int* runs, int runCount, int step, T* destination)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        for (var run = 0; run < runCount; run++, runs += PixelRuns.Stride)
        {
            T* src = row + runs[0], dst = destination + runs[1];
            var count = runs[2];
            if (step == 1)
            {
                AddTo<T, V>(src, dst, count);
                continue;
            }
            for (var x = 0; x < count; x++)
                dst[x * step] += src[x];
        }
    }
}
