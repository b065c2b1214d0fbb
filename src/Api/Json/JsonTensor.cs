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
    private NarrowedMemory? _narrowed;

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

    public ReadOnlySpan<double> Data => _narrowed is not null
        ? throw new InvalidOperationException("the values were narrowed to float32 in place")
        : (_buffer ?? throw new ObjectDisposedException(nameof(JsonTensor))).AsSpan(0, Length);

    /// <summary>Builds a tensor from values the caller already has (tests, examples).</summary>
    public static JsonTensor From(TensorShape shape, ReadOnlySpan<double> data, WireForm form = WireForm.Nested)
    {
        var buffer = TensorPool<double>.Shared.Rent(data.Length);
        data.CopyTo(buffer);
        return new JsonTensor(shape, buffer, data.Length, form);
    }

    /// <summary>
    /// The values in the precision <typeparamref name="T"/>, as a view of this tensor's buffer. For float the doubles
    /// are rounded in place into the buffer's front half (no second copy of a large input); from then on the tensor
    /// holds float32 values only and <see cref="Data"/> may not be read.
    /// </summary>
    /// <exception cref="InvalidOperationException">The values were already narrowed to float and double is asked for.</exception>
    public Tensor<T> ToTensor<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(JsonTensor));
        if (typeof(T) == typeof(double))
        {
            if (_narrowed is not null)
                throw new InvalidOperationException("the values were narrowed to float32 in place");
            return (Tensor<T>)(object)Tensor<double>.Wrap(Shape, buffer);
        }
        if (typeof(T) != typeof(float))
            throw new NotSupportedException($"tensors of {typeof(T).Name} are not computed");
        _narrowed ??= NarrowInPlace(buffer, Length);
        return (Tensor<T>)(object)Tensor<float>.Wrap(Shape, _narrowed.Memory);
    }

    /// <summary>Rounds buffer[i] to float into float slot i, front to back: slot i overlaps only doubles already read.</summary>
    private static NarrowedMemory NarrowInPlace(double[] buffer, int length)
    {
        var floats = System.Runtime.InteropServices.MemoryMarshal.Cast<double, float>(buffer.AsSpan());
        for (var i = 0; i < length; i++)
            floats[i] = (float)buffer[i];
        return new NarrowedMemory(buffer, length);
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
            TensorPool<double>.Shared.Return(buffer);
    }
}
