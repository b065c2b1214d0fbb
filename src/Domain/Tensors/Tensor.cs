using System.Buffers;
using System.Numerics;

namespace ConvService.Domain.Tensors;

/// <summary>
/// A dense row-major tensor over one contiguous buffer. Buffers come from <see cref="ArrayPool{T}.Shared"/>
/// and go back on <see cref="Dispose"/>; a tensor that is never disposed is simply collected.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Tensor<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[]? _buffer;
    private readonly bool _pooled;

    private Tensor(TensorShape shape, T[] buffer, int length, bool pooled)
    {
        Shape = shape;
        Length = length;
        _buffer = buffer;
        _pooled = pooled;
    }

    public TensorShape Shape { get; }

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    public Span<T> Span => Buffer.AsSpan(0, Length);

    public Memory<T> Memory => Buffer.AsMemory(0, Length);

    private T[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(Tensor<T>));

    /// <summary>Rents a buffer for <paramref name="shape"/>; its contents are unspecified.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The shape holds more than <see cref="Array.MaxLength"/> elements.</exception>
    public static Tensor<T> Uninitialized(TensorShape shape)
    {
        var length = CheckedLength(shape);
        return new Tensor<T>(shape, ArrayPool<T>.Shared.Rent(length), length, pooled: true);
    }

    /// <summary>Rents a buffer for <paramref name="shape"/> filled with zeros.</summary>
    public static Tensor<T> Zeros(TensorShape shape)
    {
        var tensor = Uninitialized(shape);
        tensor.Span.Clear();
        return tensor;
    }

    /// <summary>Rents a buffer for <paramref name="shape"/> filled with <paramref name="value"/>.</summary>
    public static Tensor<T> Filled(TensorShape shape, T value)
    {
        var tensor = Uninitialized(shape);
        tensor.Span.Fill(value);
        return tensor;
    }

    /// <summary>Wraps an array the caller owns (not returned to the pool); its first elements are the tensor.</summary>
    /// <exception cref="ArgumentException">The array is shorter than the shape's element count.</exception>
    public static Tensor<T> Wrap(TensorShape shape, T[] data)
    {
        var length = CheckedLength(shape);
        ArgumentOutOfRangeException.ThrowIfLessThan(data.Length, length, nameof(data));
        return new Tensor<T>(shape, data, length, pooled: false);
    }

    /// <summary>The same elements under another shape of equal element count; the view does not own the buffer.</summary>
    /// <exception cref="ArgumentException">The element counts differ.</exception>
    public Tensor<T> Reshape(TensorShape shape)
    {
        if (CheckedLength(shape) != Length)
            throw new ArgumentException($"cannot view {Length} elements as {shape}", nameof(shape));
        return new Tensor<T>(shape, Buffer, Length, pooled: false);
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null && _pooled)
            ArrayPool<T>.Shared.Return(buffer);
    }

    private static int CheckedLength(TensorShape shape)
    {
        var count = shape.ElementCount;
        if (count is null or > int.MaxValue || count > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(shape), $"{shape} holds more elements than one array can");
        return (int)count.Value;
    }
}
