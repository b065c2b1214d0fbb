using System.Buffers;

namespace ConvService.Api.Json;

/// <summary>A growable pooled buffer of doubles that refuses to grow past a limit, so a huge body fails before it allocates.</summary>
internal struct TensorBufferBuilder(int maxElements, string limitText)
{
    /// <summary>A shape announced up front reserves at most this much; the rest grows as numbers arrive, so a lying shape costs little.</summary>
    private const int MaxReserve = 1 << 20;

    private double[] _buffer = ArrayPool<double>.Shared.Rent(64);

    public int Count { get; private set; }

    public readonly int MaxElements => maxElements;

    /// <summary>Says which limit <see cref="MaxElements"/> is, for error messages.</summary>
    public readonly string LimitText => limitText;

    public void Add(double value)
    {
        if (Count == _buffer.Length || Count == maxElements)
            Grow();
        _buffer[Count++] = value;
    }

    /// <summary>Reserves room for <paramref name="count"/> values when the shape announced them up front.</summary>
    public void Reserve(int count)
    {
        if (count > _buffer.Length)
            Resize(Math.Min(count, MaxReserve));
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
            ArrayPool<double>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void Grow()
    {
        if (Count >= maxElements)
            throw new WireFormatException($"more than {maxElements} numbers; {limitText}");
        Resize((int)Math.Min((long)_buffer.Length * 2, maxElements));
    }

    private void Resize(int length)
    {
        var larger = ArrayPool<double>.Shared.Rent(length);
        _buffer.AsSpan(0, Count).CopyTo(larger);
        ArrayPool<double>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
