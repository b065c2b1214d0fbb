using ConvService.Domain.Tensors;

namespace ConvService.Api.Json;

/// <summary>A growable pooled buffer of doubles that refuses to grow past a limit, so a huge body fails before it allocates.</summary>
internal struct TensorBufferBuilder(int maxElements)
{
    private double[] _buffer = TensorPool<double>.Shared.Rent(64);

    public int Count { get; private set; }

    public readonly int MaxElements => maxElements;

    public void Add(double value)
    {
        if (Count == _buffer.Length)
            Grow();
        _buffer[Count++] = value;
    }

    /// <summary>Reserves room for <paramref name="count"/> values when the shape announced them up front.</summary>
    public void Reserve(int count)
    {
        if (count > _buffer.Length)
            Resize(count);
    }

    /// <summary>Hands the buffer over; the builder must not be used again.</summary>
    public double[] Detach()
    {
        var buffer = _buffer;
        _buffer = [];
        return buffer;
    }

    /// <summary>Returns the buffer to the pool after a failed read.</summary>
    public void Release()
    {
        if (_buffer.Length > 0)
            TensorPool<double>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void Grow()
    {
        if (Count >= maxElements)
            throw new WireFormatException($"more than {maxElements} numbers; the limit per tensor is {maxElements}");
        Resize((int)Math.Min((long)_buffer.Length * 2, maxElements));
    }

    private void Resize(int length)
    {
        var larger = TensorPool<double>.Shared.Rent(length);
        _buffer.AsSpan(0, Count).CopyTo(larger);
        TensorPool<double>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
