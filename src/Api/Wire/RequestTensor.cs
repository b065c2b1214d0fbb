using System.Numerics;
using System.Runtime.InteropServices;
using ConvService.Api.Json;
using ConvService.Domain.Tensors;

namespace ConvService.Api.Wire;

/// <summary>
/// A tensor argument as bound from a request, whatever carried it: JSON numbers (read as doubles; a float32 request
/// rounds them once, as <c>torch.tensor(..., dtype=float32)</c> does) or a binary slice of FP32 or FP64 bytes, read
/// straight into the buffer in its own precision. Either way one pooled row-major buffer, handed to the Domain as a view.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(BodyReaderOnly))]
public sealed class RequestTensor : IDisposable
{
    private double[]? _doubles;
    private float[]? _singles;
    private NarrowedMemory? _narrowed;

    private RequestTensor(TensorShape shape, double[]? doubles, float[]? singles, int length, WireForm form)
    {
        (Shape, Form, Length) = (shape, form, length);
        (_doubles, _singles) = (doubles, singles);
    }

    public TensorShape Shape { get; }

    public WireForm Form { get; }

    public int Length { get; }

    /// <summary>True when the values arrived as float32 (a binary FP32 slice): they are never widened.</summary>
    public bool IsSingle => _singles is not null;

    /// <summary>The values as read from JSON.</summary>
    /// <exception cref="InvalidOperationException">The values are float32 (binary, or narrowed in place).</exception>
    public ReadOnlySpan<double> Data => _narrowed is not null || IsSingle
        ? throw new InvalidOperationException("the values are float32")
        : (_doubles ?? throw new ObjectDisposedException(nameof(RequestTensor))).AsSpan(0, Length);

    /// <summary>Takes a pooled buffer of <paramref name="length"/> doubles that a JSON reader filled.</summary>
    internal static RequestTensor FromDoubles(TensorShape shape, double[] pooled, int length, WireForm form) => new(shape, pooled, null, length, form);

    /// <summary>Builds a tensor from values the caller already has (tests, examples).</summary>
    public static RequestTensor From(TensorShape shape, ReadOnlySpan<double> data, WireForm form = WireForm.Nested)
    {
        var buffer = TensorPool<double>.Shared.Rent(data.Length);
        data.CopyTo(buffer);
        return new RequestTensor(shape, buffer, null, data.Length, form);
    }

    /// <summary>
    /// Rents an uninitialized buffer for <paramref name="shape"/> in float32 (<paramref name="single"/>) or float64,
    /// for a binary slice to be copied into through <see cref="Bytes"/>. The caller has checked the size against its limits.
    /// </summary>
    internal static RequestTensor Uninitialized(TensorShape shape, bool single)
    {
        var length = checked((int)shape.ElementCount!.Value);
        return single
            ? new RequestTensor(shape, null, TensorPool<float>.Shared.Rent(length), length, WireForm.Flat)
            : new RequestTensor(shape, TensorPool<double>.Shared.Rent(length), null, length, WireForm.Flat);
    }

    /// <summary>The buffer's bytes (little-endian on this machine), for a binary reader to fill.</summary>
    internal Span<byte> Bytes => IsSingle
        ? MemoryMarshal.AsBytes(_singles.AsSpan(0, Length))
        : MemoryMarshal.AsBytes((_doubles ?? throw new ObjectDisposedException(nameof(RequestTensor))).AsSpan(0, Length));

    /// <summary>The same buffer under another shape of equal element count (JSON <c>data</c> given flat or nested); this tensor gives it up.</summary>
    internal RequestTensor Reshape(TensorShape shape)
    {
        var moved = new RequestTensor(shape, _doubles, _singles, Length, Form);
        (_doubles, _singles) = (null, null);
        return moved;
    }

    /// <summary>A widened copy of float32 values (for checks of small tensors such as random samples).</summary>
    public double[] Widened() => [.. (_singles ?? throw new InvalidOperationException("the values are not float32")).AsSpan(0, Length).ToArray().Select(v => (double)v)];

    /// <summary>The index of the first finite value that float32 cannot hold (it would round to infinity), or −1.</summary>
    public int FirstFloat32Overflow()
    {
        if (IsSingle || _narrowed is not null)
            return -1;
        var data = Data;
        for (var i = 0; i < data.Length; i++)
        {
            if (double.IsFinite(data[i]) && !float.IsFinite((float)data[i]))
                return i;
        }
        return -1;
    }

    /// <summary>
    /// The values in the precision <typeparamref name="T"/>, as a view of this tensor's buffer. Float32 values are
    /// viewed as they are; JSON doubles asked for as float are rounded in place into the buffer's front half (no second
    /// copy of a large input), and from then on <see cref="Data"/> may not be read.
    /// </summary>
    /// <exception cref="InvalidOperationException">Double is asked of float32 values.</exception>
    public Tensor<T> ToTensor<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (_singles is not null)
        {
            return typeof(T) == typeof(float)
                ? (Tensor<T>)(object)Tensor<float>.Wrap(Shape, _singles)
                : throw new InvalidOperationException("float32 values are not widened to double");
        }
        var buffer = _doubles ?? throw new ObjectDisposedException(nameof(RequestTensor));
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
        var floats = MemoryMarshal.Cast<double, float>(buffer.AsSpan());
        for (var i = 0; i < length; i++)
            floats[i] = (float)buffer[i];
        return new NarrowedMemory(buffer, length);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _doubles, null) is { } doubles)
            TensorPool<double>.Shared.Return(doubles);
        if (Interlocked.Exchange(ref _singles, null) is { } singles)
            TensorPool<float>.Shared.Return(singles);
    }
}

/// <summary>
/// RequestTensor's converter for System.Text.Json, which never reads or writes one: the body readers bind tensor fields
/// themselves and hand the serializer only the small fields. Named here so that no metadata is made of its members.
/// </summary>
internal sealed class BodyReaderOnly : System.Text.Json.Serialization.JsonConverter<RequestTensor>
{
    public override RequestTensor Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
        throw new InvalidOperationException("tensor fields are read by the body readers, not by the serializer");

    public override void Write(System.Text.Json.Utf8JsonWriter writer, RequestTensor value, System.Text.Json.JsonSerializerOptions options) =>
        throw new InvalidOperationException("request tensors are never written back");
}
