using System.Collections.Immutable;
using System.Numerics;
using System.Runtime.CompilerServices;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// The input gradient of a convolution that steps by one on every axis, as a forward convolution: gradOutput, zero-padded
/// by the dilated kernel's reach d·(k − 1) on both sides of every axis (the "full" convolution), with the kernel flipped
/// on every spatial axis and its channel axes swapped within each group:
/// <c>gradPadded[n, c, x] = Σ_o Σ_p kernel[o, c, p] · gradOutput[n, o, x − p·d] = Σ_o Σ_q kernel′[c, o, q] · paddedGradOutput[n, o, x + q·d]</c>
/// with <c>kernel′[c, o, q] = kernel[o, c, k − 1 − q]</c>. Its GEMM is as deep as the forward pass's (C_out/groups·Π k)
/// and writes each cell once, where <see cref="DataGradient"/>'s is only C_out/groups deep and adds every tap's share
/// through col2im: on AVX2 (Zen 3), S2, S6 and S7's data gradients spent a quarter of their time around tiles of 32 or
/// 64 steps. The sums run in another order than col2im's, so the answers agree with it to rounding.
/// </summary>
internal static class FullConvolution
{
    /// <summary>
    /// Where this beats col2im, as measured on Zen 3 (scripts/ab-pass.sh data): every axis at stride 1 (a strided
    /// gradient would need gradOutput spread out by the stride first); a whole panel of input channels per group for the
    /// forward tiles' rows (S1's 3 would fill 3 of 8); col2im's GEMM shallower than 128 steps, or float64 (float32 S3,
    /// 256 deep, ran 0.66–0.75× this way, float64 S3 1.54–1.67×); and AVX2's 256-bit vectors. AVX-512 keeps col2im,
    /// whose answers the regression replay holds bit for bit and which this machine cannot measure. And the padded
    /// gradOutput at most twice col2im's copy of it (one cell per padded input cell): windows few next to the kernel's
    /// reach would pad it up to 2^d times over. And at most four times the padded input gradient the caller holds, so
    /// that many output channels over few input channels do not make it the largest buffer of the call.
    /// </summary>
    public static bool Helps<T, V>(ConvGeometry g)
        where T : unmanaged
        where V : struct, ISimd<V, T>
    {
        if (V.Count * Unsafe.SizeOf<T>() != 32
            || g.InChannelsPerGroup < GemmTile.Rows
            || (g.OutChannelsPerGroup >= 128 && typeof(T) != typeof(double))
            || g.Axes.Any(axis => axis.Stride != 1))
            return false;
        // Cells per channel: gradOutput padded by the reach on both sides, and the padded input.
        var (padded, input) = g.Axes.Aggregate((1.0, 1.0), (cells, axis) => (cells.Item1 * (axis.Output + 2.0 * Reach(axis)), cells.Item2 * axis.PaddedInput));
        return padded <= 2 * input && g.OutChannels * padded <= 4.0 * g.InChannels * input;
    }

    /// <summary>d·(k − 1): how far the dilated kernel reaches past its first tap.</summary>
    private static int Reach(WindowAxis axis) => axis.Dilation * (axis.Kernel - 1);

    /// <summary>Overwrites <paramref name="gradPadded"/> (N, C, padded sizes…) with the input gradient, as <see cref="DataGradient.Run{T, V}"/> does.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static void Run<T, V>(ConvGeometry g, ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> kernel, Span<T> gradPadded, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct, ISimd<V, T>
    {
        // Zero padding passes no gradient back, so only the input's own cells need computing (S6: 16³ of the 18³ padded
        // cells), then laid into the padded layout with a zero border; other modes fold the border back, so it is computed too.
        var interior = InteriorSuffices(g);
        var full = Geometry(g, interior);
        var paddedLength = (int)full.PaddedShape.ElementCount!.Value;
        var outputLength = interior ? (int)full.OutputShape.ElementCount!.Value : 0;
        var padded = TensorPool<T>.Shared.Rent(paddedLength);
        var flipped = TensorPool<T>.Shared.Rent(kernel.Length);
        var output = interior ? TensorPool<T>.Shared.Rent(outputLength) : null;
        try
        {
            Padding.Pad(gradOutput, full.Batch * full.InChannels, full.Axes.AsSpan(), PaddingMode.Zeros, padded.AsSpan(0, paddedLength));
            Flip(g, kernel, flipped.AsSpan(0, kernel.Length));
            var destination = interior ? output.AsSpan(0, outputLength) : gradPadded;
            ForwardPass.Run<T, V>(full, padded.AsSpan(0, paddedLength), flipped.AsSpan(0, kernel.Length), default, destination, cancellationToken);
            if (interior)
                Padding.Pad(output.AsSpan(0, outputLength), g.Batch * g.InChannels, g.Axes.AsSpan(), PaddingMode.Zeros, gradPadded);
        }
        finally
        {
            if (output != null)
                TensorPool<T>.Shared.Return(output);
            TensorPool<T>.Shared.Return(flipped);
            TensorPool<T>.Shared.Return(padded);
        }
    }

    /// <summary>
    /// Zero padding, no wider than the kernel's reach on either side of any axis (else gradOutput would be cropped), and
    /// a border of at least a quarter of the padded cells: computing only the input's cells costs a copy into the padded
    /// layout, which Conv.Backward then folds out again. Through Conv.Backward (scripts/ab-pass.sh backward): S6, 30% border,
    /// 1.25–1.27×; S3, 23%, float64 0.91–0.96×; S2, 7%, float32 1.05–1.07× but float64 0.98×; S7 (1-D) 0.96×.
    /// </summary>
    private static bool InteriorSuffices(ConvGeometry g) =>
        g.PaddingMode == PaddingMode.Zeros
        && g.Axes.All(axis => axis.PadBegin <= Reach(axis) && axis.PadEnd <= Reach(axis))
        && g.Axes.Aggregate(1.0, (share, axis) => share * axis.Input / axis.PaddedInput) <= 0.75;

    /// <summary>
    /// The forward convolution over gradOutput: input (N, C_out, O…), kernel (C, C_out/groups, k…), padding r = d·(k − 1)
    /// on both sides, stride 1, the same dilation and groups; its output (N, C, O + r…) is the padded input's shape. With
    /// <paramref name="interior"/>, padding r − padBegin and r − padEnd: its output is the input's own cells (N, C, I…).
    /// </summary>
    internal static ConvGeometry Geometry(ConvGeometry g, bool interior)
    {
        var layout = SpatialLayout.Of(g.OutputShape, g.SpatialDims);
        var axes = ImmutableArray.CreateBuilder<WindowAxis>(g.SpatialDims);
        foreach (var axis in g.Axes)
        {
            var (begin, end) = interior ? (Reach(axis) - axis.PadBegin, Reach(axis) - axis.PadEnd) : (Reach(axis), Reach(axis));
            var full = WindowAxis.Create(axis.Output, axis.Kernel, 1, axis.Dilation, begin, end);
            var expected = interior ? axis.Input : axis.PaddedInput;
            if (full.Output != expected)
                throw new InvalidOperationException($"the full convolution's output {full.Output} is not the {(interior ? "input's" : "padded input's")} {expected}");
            axes.Add(full);
        }
        var kernel = layout.Form == SpatialForm.Single ? g.KernelShape : SwapChannels(g.KernelShape, g.Groups);
        return ConvGeometry.Of(layout, kernel, axes.MoveToImmutable(), g.Groups, PaddingMode.Zeros);
    }

    /// <summary>(C_out, C/groups, k…) → (C, C_out/groups, k…).</summary>
    private static TensorShape SwapChannels(TensorShape kernel, int groups)
    {
        var dims = kernel.Dims.ToArray();
        (dims[0], dims[1]) = (dims[1] * groups, dims[0] / groups);
        return new TensorShape(dims);
    }

    /// <summary><c>flipped[g·C/groups + c, o, q] = kernel[g·C_out/groups + o, c, taps − 1 − q]</c>, q over the flattened taps.</summary>
    private static void Flip<T>(ConvGeometry g, ReadOnlySpan<T> kernel, Span<T> flipped)
        where T : unmanaged
    {
        var taps = g.Windows.KernelCells;
        var (inPerGroup, outPerGroup) = (g.InChannelsPerGroup, g.OutChannelsPerGroup);
        for (var group = 0; group < g.Groups; group++)
        {
            for (var o = 0; o < outPerGroup; o++)
            {
                for (var c = 0; c < inPerGroup; c++)
                {
                    var source = kernel.Slice(((group * outPerGroup + o) * inPerGroup + c) * taps, taps);
                    var destination = flipped.Slice(((group * inPerGroup + c) * outPerGroup + o) * taps, taps);
                    for (var q = 0; q < taps; q++)
                        destination[q] = source[taps - 1 - q];
                }
            }
        }
    }
}
