using System.Buffers;
using System.Numerics;
using ConvService.Domain.Tensors;

namespace ConvService.Api.Json;

/// <summary>
/// A tensor as read from a request: its shape, its wire form and its numbers in one pooled row-major buffer of
/// doubles (JSON numbers are doubles; a float32 request rounds them once, as <c>torch.tensor(..., dtype=float32)</c> does).
/// </summary>
public sealed class JsonTensor : IDisposable
{
    private double[]? _buffer;

    internal JsonTensor(TensorShape shape, double[] buffer, int length, WireForm form)
    {
        Shape = shape;
        Form = form;
        Length = length;
        _buffer = buffer;
    }

    public TensorShape Shape { get; }

    public WireForm Form { get; }

    public int Length { get; }

    public ReadOnlySpan<double> Data => (_buffer ?? throw new ObjectDisposedException(nameof(JsonTensor))).AsSpan(0, Length);

    /// <summary>Builds a tensor from values the caller already has (tests, examples).</summary>
    public static JsonTensor From(TensorShape shape, ReadOnlySpan<double> data, WireForm form = WireForm.Nested)
    {
        var buffer = ArrayPool<double>.Shared.Rent(data.Length);
        data.CopyTo(buffer);
        return new JsonTensor(shape, buffer, data.Length, form);
    }

    /// <summary>The values in the precision <typeparamref name="T"/>: a view of this buffer for double, a rounded copy for float.</summary>
    public Tensor<T> ToTensor<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
            return (Tensor<T>)(object)Tensor<double>.Wrap(Shape, _buffer ?? throw new ObjectDisposedException(nameof(JsonTensor)));
        var tensor = Tensor<T>.Uninitialized(Shape);
        var source = Data;
        var destination = tensor.Span;
        for (var i = 0; i < source.Length; i++)
            destination[i] = T.CreateTruncating(source[i]);
        return tensor;
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
            ArrayPool<double>.Shared.Return(buffer);
    }
}
