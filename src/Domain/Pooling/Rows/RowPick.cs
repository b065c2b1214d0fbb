using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ConvService.Domain.Pooling.Rows;

/// <summary>Gathers each window's result out of a row accumulator.</summary>
internal static class RowPick
{
    /// <summary><c>output[j] = acc[starts[j] + offset]</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The first or last start falls outside the accumulator (the starts are ordered; checked once, not per element).</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void At<T>(ReadOnlySpan<T> acc, int[] starts, int offset, Span<T> output)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(starts.Length, output.Length, nameof(starts));
        if (output.Length > 0 && ((uint)(starts[0] + offset) >= (uint)acc.Length || (uint)(starts[output.Length - 1] + offset) >= (uint)acc.Length))
            throw new ArgumentOutOfRangeException(nameof(starts), "a window starts outside the accumulator");
        ref var a = ref MemoryMarshal.GetReference(acc);
        ref var s = ref MemoryMarshal.GetArrayDataReference(starts);
        ref var o = ref MemoryMarshal.GetReference(output);
        for (var j = 0; j < output.Length; j++)
            Unsafe.Add(ref o, j) = Unsafe.Add(ref a, Unsafe.Add(ref s, j) + offset);
    }
}
