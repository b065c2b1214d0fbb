using System.Numerics;

namespace ConvService.Domain.Tensors;

/// <summary>
/// A dense row-major tensor over one contiguous block of memory. Buffers it allocates come from
/// <see cref="TensorPool{T}.Shared"/> and go back on <see cref="Dispose"/>; a tensor that is never disposed is simply
/// collected. A tensor made by <see cref="Wrap"/> views memory its caller owns.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Tensor<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Memory<T> _memory;
    private T[]? _pooled;
    private bool _disposed;

    private Tensor(TensorShape shape, Memory<T> memory, T[]? pooled)
    {
        Shape = shape;
        _memory = memory;
        _pooled = pooled;
    }

    public TensorShape Shape { get; }

    /// <summary>The number of elements.</summary>
    public int Length => _memory.Length;

    public Span<T> Span => Memory.Span;

    public Memory<T> Memory => _disposed ? throw new ObjectDisposedException(nameof(Tensor<T>)) : _memory;

    /// <summary>Rents a buffer for <paramref name="shape"/>; its contents are unspecified.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The shape holds more than <see cref="Array.MaxLength"/> elements.</exception>
    public static Tensor<T> Uninitialized(TensorShape shape)
    {
        var length = CheckedLength(shape);
        var buffer = TensorPool<T>.Shared.Rent(length);
        return new Tensor<T>(shape, buffer.AsMemory(0, length), buffer);
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

    /// <summary>Rents a tensor of <paramref name="shape"/> for <paramref name="fill"/> to write; it goes back to the pool if fill throws.</summary>
    public static Tensor<T> Computed(TensorShape shape, Action<Tensor<T>> fill)
    {
        var tensor = Uninitialized(shape);
        try
        {
            fill(tensor);
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>Views memory the caller owns (never returned to the pool); its first elements are the tensor.</summary>
    /// <exception cref="ArgumentException">The memory is shorter than the shape's element count.</exception>
    public static Tensor<T> Wrap(TensorShape shape, Memory<T> data)
    {
        var length = CheckedLength(shape);
        ArgumentOutOfRangeException.ThrowIfLessThan(data.Length, length, nameof(data));
        return new Tensor<T>(shape, data[..length], pooled: null);
    }

    /// <summary>The same elements under another shape of equal element count; the view does not own the buffer.</summary>
    /// <exception cref="ArgumentException">The element counts differ.</exception>
    public Tensor<T> Reshape(TensorShape shape)
    {
        if (CheckedLength(shape) != Length)
            throw new ArgumentException($"cannot view {Length} elements as {shape}", nameof(shape));
        return new Tensor<T>(shape, Memory, pooled: null);
    }

    public void Dispose()
    {
        _disposed = true;
        var buffer = Interlocked.Exchange(ref _pooled, null);
        if (buffer is not null)
            TensorPool<T>.Shared.Return(buffer);
    }

    private static int CheckedLength(TensorShape shape)
    {
        var count = shape.ElementCount;
        if (count is null or > int.MaxValue || count > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(shape), $"{shape} holds more elements than one array can");
        return (int)count.Value;
    }
}
