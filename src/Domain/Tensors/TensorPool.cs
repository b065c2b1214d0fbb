using System.Buffers;

namespace ConvService.Domain.Tensors;

/// <summary>
/// The pool every tensor-sized buffer comes from. Unlike <see cref="ArrayPool{T}.Shared"/>, which parks a returned
/// array in the returning thread's cache, it keeps large arrays in shared buckets, so a request served on another
/// thread reuses them instead of allocating its own copies.
/// </summary>
public static class TensorPool<T>
{
    /// <summary>
    /// Arrays up to 2^27 elements are pooled, a few per size; larger ones are allocated and dropped. The tests set a pool
    /// that hands out arrays full of NaN, so that a kernel reading what it never wrote fails there.
    /// </summary>
    public static ArrayPool<T> Shared { get; internal set; } = ArrayPool<T>.Create(maxArrayLength: 1 << 27, maxArraysPerBucket: 8);
}
