using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ConvService.Domain.Geometry;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// The fast convolution kernels over an already padded (N, C, padded sizes…) input in 1, 2 or 3 spatial dimensions:
/// packed implicit GEMM with a register-blocked micro-kernel over <see cref="Vector512{T}"/> (or <see cref="Vector256{T}"/>
/// where AVX-512 is missing), one generic source for float and double. Each entry point has the contract of its <see cref="ConvKernels"/> namesake.
/// </summary>
internal static class FastConv
{
    /// <summary>
    /// output (N, Cout, output sizes…) = bias + the valid cross-correlation of <paramref name="padded"/> (N, C, padded
    /// sizes…) with <paramref name="kernel"/>; <paramref name="bias"/> may be empty. A tiny problem runs as scalar chains
    /// (<see cref="SmallConv"/>), the same answers bit for bit.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (polled between tiles).</exception>
    public static void Forward<T>(ConvGeometry g, ReadOnlySpan<T> padded, ReadOnlySpan<T> kernel, ReadOnlySpan<T> bias, Span<T> output, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (SmallConv.Fits(g))
            SmallConv.Forward(g, padded, kernel, bias, output);
        else if (Winograd.Takes(g) && Vector512.IsHardwareAccelerated)
            Winograd.Forward<T, Simd512<T>>(g, padded, padded: true, kernel, bias, output, cancellationToken);
        else if (Winograd.Takes(g))
            Winograd.Forward<T, Simd256<T>>(g, padded, padded: true, kernel, bias, output, cancellationToken);
        else if (Vector512.IsHardwareAccelerated)
            ForwardPass.Run<T, Simd512<T>>(g, padded, kernel, bias, output, cancellationToken);
        else
            ForwardPass.Run<T, Simd256<T>>(g, padded, kernel, bias, output, cancellationToken);
    }

    /// <summary>
    /// Whether <see cref="ForwardZeroPadded{T}"/> takes this convolution: zero padding and a split by stride phase
    /// (<see cref="StridePhases.Helps"/>), which writes the padding's zeros as it splits, or a layout whose rows share
    /// their zeros (<see cref="CompactPadding.Takes"/>), or a 1-D one read where it lies (<see cref="InteriorRows.Takes"/>);
    /// not a tiny problem.
    /// </summary>
    public static bool ReadsUnpadded<T>(ConvGeometry g) where T : unmanaged =>
        g.PaddingMode == PaddingMode.Zeros && !SmallConv.Fits(g)
        && (Winograd.Takes(g) || StridePhases.Helps(g) || CompactPadding.Takes(g, Unsafe.SizeOf<T>()) || InteriorRows.Takes(g));

    /// <summary>As <see cref="Forward{T}"/>, over the unpadded <paramref name="input"/> (N, C, sizes…) where <see cref="ReadsUnpadded{T}"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (polled between tiles).</exception>
    public static void ForwardZeroPadded<T>(ConvGeometry g, ReadOnlySpan<T> input, ReadOnlySpan<T> kernel, ReadOnlySpan<T> bias, Span<T> output, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Winograd.Takes(g) && Vector512.IsHardwareAccelerated)
            Winograd.Forward<T, Simd512<T>>(g, input, padded: false, kernel, bias, output, cancellationToken);
        else if (Winograd.Takes(g))
            Winograd.Forward<T, Simd256<T>>(g, input, padded: false, kernel, bias, output, cancellationToken);
        else if (Vector512.IsHardwareAccelerated)
            ForwardPass.RunZeroPadded<T, Simd512<T>>(g, input, kernel, bias, output, cancellationToken);
        else
            ForwardPass.RunZeroPadded<T, Simd256<T>>(g, input, kernel, bias, output, cancellationToken);
    }

    /// <summary>
    /// Overwrites <paramref name="gradKernel"/> with the kernel gradient over the unpadded <paramref name="input"/> and
    /// returns true where the kernels lay it out themselves, zeros included (split by stride phase, or a 3-D volume laid out
    /// compactly: <see cref="KernelGradient.ReadsUnpadded{T, V}"/>); else false, nothing done.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static bool TryBackwardKernelUnpadded<T>(ConvGeometry g, ReadOnlySpan<T> input, ReadOnlySpan<T> gradOutput, Span<T> gradKernel, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated)
            return TryBackwardKernelUnpadded<T, Simd512<T>>(g, input, gradOutput, gradKernel, cancellationToken);
        return TryBackwardKernelUnpadded<T, Simd256<T>>(g, input, gradOutput, gradKernel, cancellationToken);
    }

    private static bool TryBackwardKernelUnpadded<T, V>(ConvGeometry g, ReadOnlySpan<T> input, ReadOnlySpan<T> gradOutput, Span<T> gradKernel, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        if (g.PaddingMode == PaddingMode.Zeros && Winograd.TakesGradient(g))
        {
            Winograd.KernelGradient<T, V>(g, input, padded: false, gradOutput, gradKernel, cancellationToken);
            return true;
        }
        if (!KernelGradient.ReadsUnpadded<T, V>(g))
            return false;
        KernelGradient.RunZeroPadded<T, V>(g, input, gradOutput, gradKernel, cancellationToken);
        return true;
    }

    /// <summary>
    /// Overwrites <paramref name="gradInput"/> (N, C, input sizes…) with the input gradient and returns true where zero
    /// padding lets it skip the padded layout: as a full convolution over the input's cells (<see cref="FullConvolution.WritesInput{T, V}"/>),
    /// or col2im by stride phase merged into them (<see cref="DataGradient.MergesUnpadded{T, V}"/>); else false, nothing done.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static bool TryBackwardInput<T>(ConvGeometry g, ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> kernel, Span<T> gradInput, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated)
            return TryBackwardInput<T, Simd512<T>>(g, gradOutput, kernel, gradInput, cancellationToken);
        return TryBackwardInput<T, Simd256<T>>(g, gradOutput, kernel, gradInput, cancellationToken);
    }

    private static bool TryBackwardInput<T, V>(ConvGeometry g, ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> kernel, Span<T> gradInput, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        if (FullConvolution.WritesInput<T, V>(g))
            FullConvolution.RunInterior<T, V>(g, gradOutput, kernel, gradInput, cancellationToken);
        else if (DataGradient.MergesUnpadded<T, V>(g))
            DataGradient.RunUnpadded<T, V>(g, gradOutput, kernel, gradInput, cancellationToken);
        else
            return false;
        cancellationToken.ThrowIfCancellationRequested();
        return true;
    }

    /// <summary>
    /// Overwrites <paramref name="gradPadded"/> (N, C, padded sizes…) with the gradient of Σ gradOutput·output with respect to
    /// the padded input: col2im of <c>Wᵀ · gradOutput</c> (see <see cref="DataGradient"/>).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static void BackwardData<T>(ConvGeometry g, ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> kernel, Span<T> gradPadded, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated)
            DataGradient.Run<T, Simd512<T>>(g, gradOutput, kernel, gradPadded, cancellationToken);
        else
            DataGradient.Run<T, Simd256<T>>(g, gradOutput, kernel, gradPadded, cancellationToken);
    }

    /// <summary>
    /// Overwrites <paramref name="gradKernel"/> (Cout, C/groups, k…) with the gradient of Σ gradOutput·output with
    /// respect to the kernel: <c>gradKernel[o, k] = Σ_n Σ_pixels gradOutput[n, o, pixel] · im2col(padded)[n, k, pixel]</c>.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static void BackwardKernel<T>(ConvGeometry g, ReadOnlySpan<T> padded, ReadOnlySpan<T> gradOutput, Span<T> gradKernel, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Winograd.TakesGradient(g) && Vector512.IsHardwareAccelerated)
            Winograd.KernelGradient<T, Simd512<T>>(g, padded, padded: true, gradOutput, gradKernel, cancellationToken);
        else if (Winograd.TakesGradient(g))
            Winograd.KernelGradient<T, Simd256<T>>(g, padded, padded: true, gradOutput, gradKernel, cancellationToken);
        else if (Vector512.IsHardwareAccelerated)
            KernelGradient.Run<T, Simd512<T>>(g, padded, gradOutput, gradKernel, cancellationToken);
        else
            KernelGradient.Run<T, Simd256<T>>(g, padded, gradOutput, gradKernel, cancellationToken);
    }
}
