using System.Numerics;
using ConvService.Domain.Pooling.Rows;
using ConvService.Domain.Pooling.Windows;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Pooling.Reductions;

/// <summary>
/// The power mean of lp pooling, as PyTorch's lp_pool1d/2d/3d compute it: <c>y = avg_pool(x^p)</c> (no padding, a
/// ceil-mode window clipped to the input), then <c>out = (sign(y)·relu(|y|)·K)^(1/p)</c> with K the product of the
/// kernel sizes; so a ceil-mode window cut at the edge is rescaled by K / (cells inside), and a negative sum (odd p)
/// gives NaN.
/// </summary>
internal sealed class PowerMeanReduction<T> : IPoolReduction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _p;
    private readonly T _root;
    private readonly T _volume;
    private readonly T[] _powers;
    private readonly T[] _sums;

    public PowerMeanReduction(double normType, long kernelVolume, int inputLength, int outputLength)
    {
        (_p, _root, _volume) = (T.CreateTruncating(normType), T.CreateTruncating(1.0 / normType), T.CreateTruncating(kernelVolume));
        _powers = TensorPool<T>.Shared.Rent(inputLength);
        _sums = TensorPool<T>.Shared.Rent(outputLength);
    }

    public void Forward(ReadOnlySpan<T> plane, PlaneWindows windows, Span<T> output, Span<int> indices)
    {
        var powers = _powers.AsSpan(0, plane.Length);
        TorchPow.Apply(plane, _p, powers);
        MeanReduction<T>.Reduce(powers, windows, null, output);
        Root(output);
    }

    /// <summary>
    /// The chain rule through the forward's steps, as autograd takes it: <c>gU = gOut·((1/p)·u^(1/p − 1))</c> for
    /// <c>u = y·K</c>; <c>gY = gU·K</c>, but 0 where <c>|y| ≤ 0</c> (relu's gradient); spread over the windows as
    /// avg_pool; <c>gIn = gX·(p·x^(p − 1))</c>.
    /// </summary>
    public void Backward(ReadOnlySpan<T> plane, PlaneWindows windows, ReadOnlySpan<T> gradOutput, Span<T> gradInput)
    {
        var powers = _powers.AsSpan(0, plane.Length);
        TorchPow.Apply(plane, _p, powers);
        var y = _sums.AsSpan(0, gradOutput.Length);
        MeanReduction<T>.Reduce(powers, windows, null, y);
        for (var k = 0; k < y.Length; k++)
        {
            var u = T.CopySign(T.Abs(y[k]), y[k]) * _volume;
            var gU = gradOutput[k] * (_root * TorchPow.Of(u, _root - T.One));
            y[k] = T.Abs(y[k]) <= T.Zero ? T.Zero : gU * _volume;
        }
        MeanReduction<T>.Spread(y, windows, null, gradInput);
        for (var k = 0; k < plane.Length; k++)
            gradInput[k] *= _p * TorchPow.Of(plane[k], _p - T.One);
    }

    public void Dispose()
    {
        TensorPool<T>.Shared.Return(_powers);
        TensorPool<T>.Shared.Return(_sums);
    }

    // (sign(y)·relu(|y|)·K)^(1/p); sign(y)·|y| is y itself, bit for bit, NaN and −0 included.
    private void Root(Span<T> y)
    {
        var sqrt = _root == T.CreateTruncating(0.5);
        RowScale.MultiplyThenSqrt(y, _volume, sqrt);
        if (!sqrt)
            TorchPow.Apply(y, _root, y);
    }
}
