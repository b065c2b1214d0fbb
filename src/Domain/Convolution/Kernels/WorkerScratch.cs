using System.Buffers;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// A scratch buffer for each worker of a parallel section, rented from <see cref="TensorPool{T}"/> on the calling thread
/// in worker order and returned in the reverse order when disposed, so that the pool, a stack per size, hands worker w
/// the same array on the next call: its lines are then still in that worker's core, where renting inside each worker
/// gave whichever array the faster one reached first, and every call moved the scratch between the cores (see
/// <see cref="TaskShares"/>, whose fixed shares keep the same worker index on the same thread: the caller first).
/// Several sets declared one after another with <c>using</c> return in the reverse order too.
/// </summary>
internal readonly struct WorkerScratch<T> : IDisposable
{
    private readonly T[][] _buffers;
    private readonly ArrayPool<T> _pool;

    public WorkerScratch(int workers, int length)
        : this(workers, length, TensorPool<T>.Shared)
    {
    }

    /// <summary>From <paramref name="pool"/> instead (the tests' own).</summary>
    internal WorkerScratch(int workers, int length, ArrayPool<T> pool)
    {
        (_buffers, _pool) = (new T[workers][], pool);
        for (var w = 0; w < workers; w++)
            _buffers[w] = pool.Rent(length);
    }

    public T[] this[int worker] => _buffers[worker];

    public void Dispose()
    {
        for (var w = _buffers.Length - 1; w >= 0; w--)
            _pool.Return(_buffers[w]);
    }
}
