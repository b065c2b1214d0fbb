using ConvService.Domain.Pooling.Rows;
using ConvService.Domain.Tensors;
using System.Numerics;

namespace ConvService.Domain.Pooling;

/// <summary>PyTorch's <c>lp_pool2d</c> over NCHW planes, and its autograd gradient.</summary>
public static class LpPool2d
{
    /// <summary>
    /// As PyTorch computes it: <c>y = avg_pool2d(x^p)</c> (no padding, the window clipped to the input under ceilMode),
    /// then <c>out = (sign(y)·relu(|y|)·kH·kW)^(1/p)</c>; so a ceil-mode window that overhangs the input is rescaled by
    /// kernel area / cells, and a negative sum (odd p) gives NaN.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A span's length does not match <paramref name="geometry"/>.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; polled per plane.</exception>
    public static void Forward<T>(PoolGeometry geometry, ReadOnlySpan<T> input, Span<T> output, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        geometry.CheckLengths(input.Length, output.Length);
        var (rows, cols) = AvgPool2d.Windows(geometry);
        var (p, area) = (T.CreateTruncating(geometry.NormType), KernelArea<T>(geometry));
        var root = T.CreateTruncating(1.0 / geometry.NormType);
        var (inLength, outLength) = (geometry.InputPlaneLength, geometry.OutputPlaneLength);
        var powers = TensorPool<T>.Shared.Rent(inLength);
        try
        {
            for (var plane = 0; plane < geometry.Planes; plane++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                TorchPow.Apply(input.Slice(plane * inLength, inLength), p, powers.AsSpan(0, inLength));
                var planeOutput = output.Slice(plane * outLength, outLength);
                MeanWindows.Forward<T>(powers.AsSpan(0, inLength), geometry.Axes[1].Input, rows, cols, null, planeOutput);
                Root(planeOutput, area, root);
            }
        }
        finally
        {
            TensorPool<T>.Shared.Return(powers);
        }
    }

    /// <summary>
    /// The chain rule through the forward's steps, as autograd takes it: <c>gU = gOut·((1/p)·u^(1/p − 1))</c> for
    /// <c>u = y·kH·kW</c>; <c>gY = gU·kH·kW</c>, but 0 where <c>|y| ≤ 0</c> (relu's gradient); spread over the windows as
    /// avg_pool2d; <c>gIn = gX^p·(p·x^(p − 1))</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A span's length does not match <paramref name="geometry"/>.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; polled per plane.</exception>
    public static void Backward<T>(PoolGeometry geometry, ReadOnlySpan<T> input, ReadOnlySpan<T> gradOutput, Span<T> gradInput, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        geometry.CheckLengths(input.Length, gradOutput.Length, outputName: nameof(gradOutput));
        geometry.CheckLengths(gradInput.Length, gradOutput.Length, nameof(gradInput), nameof(gradOutput));
        var (rows, cols) = AvgPool2d.Windows(geometry);
        var (p, area) = (T.CreateTruncating(geometry.NormType), KernelArea<T>(geometry));
        var root = T.CreateTruncating(1.0 / geometry.NormType);
        var (inLength, outLength, width) = (geometry.InputPlaneLength, geometry.OutputPlaneLength, geometry.Axes[1].Input);
        var powers = TensorPool<T>.Shared.Rent(inLength);
        var sums = TensorPool<T>.Shared.Rent(outLength);
        try
        {
            gradInput.Clear();
            for (var plane = 0; plane < geometry.Planes; plane++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var x = input.Slice(plane * inLength, inLength);
                TorchPow.Apply(x, p, powers.AsSpan(0, inLength));
                var y = sums.AsSpan(0, outLength);
                MeanWindows.Forward<T>(powers.AsSpan(0, inLength), width, rows, cols, null, y);
                var gOut = gradOutput.Slice(plane * outLength, outLength);
                for (var k = 0; k < outLength; k++)
                {
                    var u = T.CopySign(T.Abs(y[k]), y[k]) * area;
                    var gU = gOut[k] * (root * TorchPow.Of(u, root - T.One));
                    y[k] = T.Abs(y[k]) <= T.Zero ? T.Zero : gU * area;
                }
                var gX = gradInput.Slice(plane * inLength, inLength);
                MeanWindows.Backward<T>(y, width, rows, cols, null, gX);
                for (var k = 0; k < inLength; k++)
                    gX[k] *= p * TorchPow.Of(x[k], p - T.One);
            }
        }
        finally
        {
            TensorPool<T>.Shared.Return(powers);
            TensorPool<T>.Shared.Return(sums);
        }
    }

    // (sign(y)·relu(|y|)·area)^root; sign(y)·|y| is y itself, bit for bit, NaN and −0 included.
    private static void Root<T>(Span<T> y, T area, T root) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sqrt = root == T.CreateTruncating(0.5);
        RowScale.MultiplyThenSqrt(y, area, sqrt);
        if (sqrt)
            return;
        TorchPow.Apply(y, root, y);
    }

    private static T KernelArea<T>(PoolGeometry geometry) where T : unmanaged, IFloatingPointIeee754<T> =>
        T.CreateTruncating((long)geometry.Axes[0].Kernel * geometry.Axes[1].Kernel);
}
