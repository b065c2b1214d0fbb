using ConvService.Domain.Tensors;

namespace ConvService.Api.Json;

/// <summary>A growable pooled buffer of doubles that refuses to grow past a limit, so a huge body fails before it allocates.</summary>
/// <param name="limit">The most numbers the tensor may hold, and which limit that is, for error messages.</param>
/// <param name="reserveLimit">The most a shape announced up front may reserve, so that a lying shape costs little.</param>
internal struct TensorBufferBuilder(ElementLimit limit, int reserveLimit)
{
    /// <summary>The reservation cap when nothing better is known about the body.</summary>
    public const int MaxReserve = 1 << 20;

    private double[] _buffer = TensorPool<double>.Shared.Rent(64);

    public int Count { get; private set; }

    public readonly int MaxElements => limit.Max;

    public readonly ElementLimit Limit => limit;

    public void Add(double value)
    {
        if (Count == _buffer.Length || Count == limit.Max)
            Grow();
        _buffer[Count++] = value;
    }

    /// <summary>Where the next values go without growing the buffer (and never past the limit): fill, then <see cref="Added"/>.</summary>
    public readonly Span<double> Room => _buffer.AsSpan(Count, Math.Min(_buffer.Length, limit.Max) - Count);

    /// <summary>Counts <paramref name="count"/> values written into <see cref="Room"/>.</summary>
    public void Added(int count) => Count += count;

    /// <summary>Reserves room for <paramref name="count"/> values when the shape announced them up front.</summary>
    public void Reserve(int count)
    {
        if (count > _buffer.Length)
            Resize(Math.Min(count, reserveLimit));
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
        if (Count >= limit.Max)
            throw new WireFormatException($"more than {limit.Max} numbers; {limit}");
        Resize((int)Math.Min((long)_buffer.Length * 2, limit.Max));
    }

    private void Resize(int length)
    {
        var larger = TensorPool<double>.Shared.Rent(length);
        _buffer.AsSpan(0, Count).CopyTo(larger);
        TensorPool<double>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
