using System.Collections.Immutable;
using System.Numerics;
using System.Runtime.CompilerServices;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// The input gradient of a convolution as forward convolutions. At stride 1 on every axis it is one: gradOutput, zero-padded
/// by the dilated kernel's reach d·(k − 1) on both sides of every axis (the "full" convolution), with the kernel flipped
/// on every spatial axis and its channel axes swapped within each group:
/// <c>gradPadded[n, c, x] = Σ_o Σ_p kernel[o, c, p] · gradOutput[n, o, x − p·d] = Σ_o Σ_q kernel′[c, o, q] · paddedGradOutput[n, o, x + q·d]</c>
/// with <c>kernel′[c, o, q] = kernel[o, c, k − 1 − q]</c>. Its GEMM is as deep as the forward pass's (C_out/groups·Π k)
/// and writes each cell once, where <see cref="DataGradient"/>'s is only C_out/groups deep and adds every tap's share
/// through col2im: on AVX2 (Zen 3), S2, S6 and S7's data gradients spent a quarter of their time around tiles of 32 or
/// 64 steps. The sums run in another order than col2im's, so the answers agree with it to rounding.
/// <para>
/// At stride s it is one per stride phase (<see cref="StridePhases"/>): padded cell x = j·s + φ takes the taps p ≡ φ (mod s),
/// p = φ + m·s, from output j − m, so phase φ is the full convolution of gradOutput with the sub-kernel of those
/// ⌈(k − φ)/s⌉ taps, flipped: <c>gradPhase_φ[j] = Σ_o Σ_m kernel[o, c, φ + m·s] · gradOutput[o, j − m]</c>. The phases
/// land phase-major and <see cref="StridePhases.Merge{T, V}"/> interleaves them into the padded layout.
/// </para>
/// <para>Each full convolution reads gradOutput laid out with its rows sharing their zeros (<see cref="CompactPadding.TakesGradOutput"/>).</para>
/// </summary>
internal static class FullConvolution
{
    /// <summary>
    /// Where this beats col2im, as measured on Zen 3 (AVX2) and Zen 5 (AVX-512) with scripts/ab-pass.sh data: a whole panel
    /// of input channels per group for the forward tiles' rows (S1's 3 would fill 3 of 8). With 512-bit vectors col2im's
    /// shallow GEMM costs less, so only stride 1 where the padded gradOutput adds at most 8% cells: S7 ran 1.17–1.23× this
    /// way, 1×64×224² k3 1.08–1.19×, 4×32×2048 k3 1.06–1.39×; since the forward tiles' prefetch spans, S2 (7.3% more cells)
    /// 1.06–1.08× (float64 1.07–1.09×), 4×32×112² k5 (7.3%) 1.05–1.09×, float64 16×32×64² k3 (6.3%) 1.15–1.18×; but float64
    /// 8×64×40² k3 (10%) 0.95–0.99×, float32 8×64×34² k3 (12%) 0.95×, 8×64×28² k3 (15%) 1.00×, S6 (42%) 0.69–0.78×,
    /// float64 S3 0.51–0.54× and float64 S5 (stride 2) 0.74×. With 256-bit vectors (AVX2): at stride 1, col2im's GEMM
    /// shallower than 128 steps, or float64 (float32 S3, 256 deep, ran 0.66–0.75× this way, float64 S3 1.54–1.67×). At a
    /// stride, dilation 1 on the strided axes (a dilated tap's phase is not simply its index's), and float64 or at most three
    /// phases: float64 ran 1.06–1.44× (S5; 8×64×56² k3 s2; 4×32×32³ k3 s2; 8×128×2048 k5 s2), float32 1.20× in 1-D
    /// but 0.91–1.17× over 4 or 8 phases (S5 0.94×), where a pass per phase costs what the deeper GEMM saves. And the padded gradOutput
    /// at most twice col2im's copy of it (one cell per padded input cell, per phase): windows few next to the kernel's
    /// reach would pad it up to 2^d times over; and at most four times the padded input gradient the caller holds, so
    /// that many output channels over few input channels do not make it the largest buffer of the call.
    /// </summary>
    public static bool Helps<T, V>(ConvGeometry g)
        where T : unmanaged
        where V : struct, ISimd<V, T> =>
        Helps<T, V>(g, interior: false);

    /// <summary>
    /// As <see cref="Helps{T, V}(ConvGeometry)"/>; with <paramref name="interior"/> (<see cref="RunInterior{T, V}"/>, which
    /// computes only the input's cells) in 3-D with 512-bit vectors, up to 40% more cells: there the full convolution's
    /// deeper GEMM over dense outputs beats col2im over the padded volume, through Conv.Backward by turns (medians)
    /// float32 S6 (37% more) 1.05–1.07×, 1×32×24³ k3 (26%) 1.24–1.26× and float64 1.20–1.22×, float64 S6 0.94–1.00×.
    /// In 2-D it did not hold: 2×64×14² 0.74–0.90× (float64 0.78–0.83×), 4×64×7² 0.86×, float64 2×96×28² 0.98×.
    /// </summary>
    private static bool Helps<T, V>(ConvGeometry g, bool interior)
        where T : unmanaged
        where V : struct, ISimd<V, T>
    {
        if (g.InChannelsPerGroup < GemmTile.Rows)
            return false;
        var wide = V.Count * Unsafe.SizeOf<T>() == 64;
        if (wide && g.Axes.Any(axis => axis.Stride != 1))
            return false;
        if (g.Axes.All(axis => axis.Stride == 1))
        {
            if (g.OutChannelsPerGroup >= 128 && typeof(T) != typeof(double))
                return false;
        }
        else if (!StridePhases.Helps(g) || g.Axes.Any(axis => axis.Stride > 1 && axis.Dilation != 1)
            || (typeof(T) != typeof(double) && StridePhases.Count(g) > 3))
            return false;
        // Cells per channel: phase 0's gradOutput padded for its full convolution (the largest phase), against one phase
        // of the padded input; and the padded input itself.
        var (padded, phase, input) = g.Axes.Aggregate((1.0, 1.0, 1.0), (cells, axis) =>
            (cells.Item1 * (StridePhases.Size(axis) + Reach(axis, 0)), cells.Item2 * StridePhases.Size(axis), cells.Item3 * axis.PaddedInput));
        var limit = !wide ? 2.0 : interior && g.SpatialDims == 3 ? 1.4 : 1.08;
        return padded <= limit * phase && g.OutChannels * padded <= 4.0 * g.InChannels * input;
    }

    /// <summary>The taps of phase <paramref name="phase"/> (p ≡ phase mod s): ⌈(k − phase)/s⌉, all k at stride 1.</summary>
    private static int Taps(WindowAxis axis, int phase) => (axis.Kernel - phase + axis.Stride - 1) / axis.Stride;

    /// <summary>d·(k′ − 1): how far phase <paramref name="phase"/>'s dilated sub-kernel reaches past its first tap.</summary>
    private static int Reach(WindowAxis axis, int phase) => axis.Dilation * (Taps(axis, phase) - 1);

    /// <summary>Overwrites <paramref name="gradPadded"/> (N, C, padded sizes…) with the input gradient, as <see cref="DataGradient.Run{T, V}"/> does.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, V>(ConvGeometry g, ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> kernel, Span<T> gradPadded, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var phase = new int[g.SpatialDims];
        if (g.Axes.All(axis => axis.Stride == 1))
        {
            // Zero padding passes no gradient back, so only the input's own cells need computing (S6: 16³ of the 18³ padded
            // cells), then laid into the padded layout with a zero border; other modes fold the border back, so it is computed too.
            var interior = InteriorSuffices(g);
            var full = Geometry(g, phase, interior);
            if (!interior)
            {
                Convolve<T, V>(g, full, phase, gradOutput, kernel, gradPadded, cancellationToken);
                return;
            }
            var outputLength = (int)full.OutputShape.ElementCount!.Value;
            var output = TensorPool<T>.Shared.Rent(outputLength);
            try
            {
                Convolve<T, V>(g, full, phase, gradOutput, kernel, output.AsSpan(0, outputLength), cancellationToken);
                Padding.Pad(output.AsSpan(0, outputLength), g.Batch * g.InChannels, g.Axes.AsSpan(), PaddingMode.Zeros, gradPadded);
            }
            finally
            {
                TensorPool<T>.Shared.Return(output);
            }
            return;
        }
        // One full convolution per phase, numbered row-major over the axes as StridePhases numbers them, each into its own
        // N·C phase volumes; then interleaved into the padded layout.
        var phases = StridePhases.Count(g);
        var volumes = g.Batch * g.InChannels * StridePhases.VolumeLength(g);
        var split = TensorPool<T>.Shared.Rent(phases * volumes);
        try
        {
            for (var index = 0; index < phases; index++)
            {
                for (int a = g.SpatialDims - 1, rest = index; a >= 0; a--)
                    (phase[a], rest) = (rest % g.Axes[a].Stride, rest / g.Axes[a].Stride);
                var destination = split.AsSpan(index * volumes, volumes);
                Convolve<T, V>(g, Geometry(g, phase, interior: false), phase, gradOutput, kernel, destination, cancellationToken);
            }
            StridePhases.Merge<T, V>(split.AsSpan(0, phases * volumes), g, gradPadded, phaseMajor: true);
        }
        finally
        {
            TensorPool<T>.Shared.Return(split);
        }
    }

    /// <summary>
    /// <paramref name="destination"/> = the forward convolution <paramref name="full"/> of gradOutput, padded as it says,
    /// with phase <paramref name="phase"/>'s sub-kernel flipped.
    /// </summary>
    private static void Convolve<T, V>(ConvGeometry g, ConvGeometry full, int[] phase, ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> kernel, Span<T> destination, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var paddedLength = (int)full.PaddedShape.ElementCount!.Value;
        var kernelLength = (int)full.KernelShape.ElementCount!.Value;
        // gradOutput laid out with its rows sharing their zeros where that saves pixels (CompactPadding), in 3-D too.
        var compact = CompactPadding.TakesGradOutput(full);
        var padded = compact ? null : TensorPool<T>.Shared.Rent(paddedLength);
        var flipped = TensorPool<T>.Shared.Rent(kernelLength);
        try
        {
            Flip(g, full, phase, kernel, flipped.AsSpan(0, kernelLength));
            if (Winograd.TakesGradient(full))
            {
                // A 3 × 3 kernel (over a 3-D kernel's last two axes) at stride 1: Winograd's transforms, which pad gradOutput as they read it.
                Winograd.Forward<T, V>(full, gradOutput, padded: false, flipped.AsSpan(0, kernelLength), default, destination, cancellationToken);
                return;
            }
            if (compact)
            {
                ForwardPass.RunZeroPadded<T, V>(full, gradOutput, flipped.AsSpan(0, kernelLength), default, destination, cancellationToken);
                return;
            }
            Padding.Pad(gradOutput, full.Batch * full.InChannels, full.Axes.AsSpan(), PaddingMode.Zeros, padded.AsSpan(0, paddedLength));
            ForwardPass.Run<T, V>(full, padded.AsSpan(0, paddedLength), flipped.AsSpan(0, kernelLength), default, destination, cancellationToken);
        }
        finally
        {
            TensorPool<T>.Shared.Return(flipped);
            if (padded != null)
                TensorPool<T>.Shared.Return(padded);
        }
    }

    /// <summary>
    /// Whether <see cref="RunInterior{T, V}"/> takes this input gradient: at stride 1, over zero padding
    /// (<see cref="ZeroBorder"/>), with every input cell under some window (no rows past the last window, as a transposed
    /// convolution's output padding leaves), where the full convolution helps or runs as Winograd's (<see cref="Winograd.TakesGradient"/>).
    /// </summary>
    public static bool WritesInput<T, V>(ConvGeometry g)
        where T : unmanaged
        where V : struct, ISimd<V, T> =>
        g.Axes.All(axis => axis.Stride == 1 && axis.Output + Reach(axis, 0) - axis.PadBegin - axis.PadEnd == axis.Input) && ZeroBorder(g)
        && (Helps<T, V>(g, interior: true) || ((Winograd.MayTake(g) || Winograd.MayTakeByPlanes(g)) && Winograd.TakesGradient(Geometry(g, new int[g.SpatialDims], interior: true))));

    /// <summary>
    /// Overwrites <paramref name="gradInput"/> (N, C, input sizes…) with the input gradient where <see cref="WritesInput{T, V}"/>:
    /// the full convolution's interior, the input's own cells, with no padded layout to fold.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static void RunInterior<T, V>(ConvGeometry g, ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> kernel, Span<T> gradInput, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        var phase = new int[g.SpatialDims];
        var full = Geometry(g, phase, interior: true);
        Convolve<T, V>(g, full, phase, gradOutput, kernel, gradInput[..(int)full.OutputShape.ElementCount!.Value], cancellationToken);
    }

    /// <summary>
    /// Zero padding, no wider than the kernel's reach on either side of any axis (else gradOutput would be cropped): the
    /// padding passes no gradient back, so the input's own cells are all the gradient there is.
    /// </summary>
    private static bool ZeroBorder(ConvGeometry g) =>
        g.PaddingMode == PaddingMode.Zeros && g.Axes.All(axis => axis.PadBegin <= Reach(axis, 0) && axis.PadEnd <= Reach(axis, 0));

    /// <summary>
    /// Into the padded layout (a caller without <see cref="RunInterior{T, V}"/>), the interior computed on its own where
    /// <see cref="ZeroBorder"/> holds and the border is at least a quarter of the padded cells: computing only the input's
    /// cells costs a copy into the padded layout. Through Conv.Backward when it still folded that layout
    /// (scripts/ab-pass.sh backward): S6, 30% border, 1.25–1.27×; S3, 23%, float64 0.91–0.96×; S2, 7%, float32 1.05–1.07×
    /// but float64 0.98×; S7 (1-D) 0.96×.
    /// </summary>
    private static bool InteriorSuffices(ConvGeometry g) =>
        ZeroBorder(g) && g.Axes.Aggregate(1.0, (share, axis) => share * axis.Input / axis.PaddedInput) <= 0.75;

    /// <summary>
    /// Phase <paramref name="phase"/>'s forward convolution over gradOutput: input (N, C_out, O…), kernel (C, C_out/groups,
    /// k′…), stride 1, the same dilation and groups, padding r′ = d·(k′ − 1) before and P′ − O after; its output (N, C,
    /// P′…) is the phase's volumes (at stride 1, the padded input's shape). With <paramref name="interior"/> (stride 1 only),
    /// padding r − padBegin and r − padEnd: its output is the input's own cells (N, C, I…).
    /// </summary>
    internal static ConvGeometry Geometry(ConvGeometry g, ReadOnlySpan<int> phase, bool interior)
    {
        var layout = SpatialLayout.Of(g.OutputShape, g.SpatialDims);
        var axes = ImmutableArray.CreateBuilder<WindowAxis>(g.SpatialDims);
        var kernel = g.KernelShape.Dims.ToArray();
        for (var a = 0; a < g.SpatialDims; a++)
        {
            var axis = g.Axes[a];
            var reach = Reach(axis, phase[a]);
            var size = StridePhases.Size(axis);
            var (begin, end) = interior ? (reach - axis.PadBegin, reach - axis.PadEnd) : (reach, size - axis.Output);
            var full = WindowAxis.Create(axis.Output, Taps(axis, phase[a]), 1, axis.Dilation, begin, end);
            var expected = interior ? axis.Input : size;
            if (full.Output != expected)
                throw new InvalidOperationException($"the full convolution's output {full.Output} is not the {(interior ? "input's" : "phase's")} {expected}");
            axes.Add(full);
            kernel[kernel.Length - g.SpatialDims + a] = full.Kernel;
        }
        if (layout.Form != SpatialForm.Single)
            (kernel[0], kernel[1]) = (kernel[1] * g.Groups, kernel[0] / g.Groups);
        return ConvGeometry.Of(layout, new TensorShape(kernel), axes.MoveToImmutable(), g.Groups, PaddingMode.Zeros);
    }

    /// <summary>
    /// <c>flipped[g·C/groups + c, o, q] = kernel[g·C_out/groups + o, c, p(q)]</c>, q over the flattened taps of phase
    /// <paramref name="phase"/>'s sub-kernel and, on every axis, <c>p = φ + (k′ − 1 − q)·s</c> (at stride 1, k − 1 − q).
    /// </summary>
    private static void Flip<T>(ConvGeometry g, ConvGeometry full, int[] phase, ReadOnlySpan<T> kernel, Span<T> flipped)
        where T : unmanaged
    {
        var (taps, subTaps) = (g.Windows.KernelCells, full.Windows.KernelCells);
        var sources = new int[subTaps];
        for (var q = 0; q < subTaps; q++)
        {
            var (rest, source, inner) = (q, 0, 1);
            for (var a = g.SpatialDims - 1; a >= 0; a--)
            {
                var (axis, sub) = (g.Axes[a], full.Axes[a].Kernel);
                source += (phase[a] + (sub - 1 - rest % sub) * axis.Stride) * inner;
                (rest, inner) = (rest / sub, inner * axis.Kernel);
            }
            sources[q] = source;
        }
        var (inPerGroup, outPerGroup) = (g.InChannelsPerGroup, g.OutChannelsPerGroup);
        for (var group = 0; group < g.Groups; group++)
        {
            for (var o = 0; o < outPerGroup; o++)
            {
                for (var c = 0; c < inPerGroup; c++)
                {
                    var source = kernel.Slice(((group * outPerGroup + o) * inPerGroup + c) * taps, taps);
                    var destination = flipped.Slice(((group * inPerGroup + c) * outPerGroup + o) * subTaps, subTaps);
                    for (var q = 0; q < subTaps; q++)
                        destination[q] = source[sources[q]];
                }
            }
        }
    }
}
