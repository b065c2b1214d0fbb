using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace ConvService.Api.Hosting;

/// <summary>
/// The memory Kestrel receives requests into and sends responses from: blocks of <see cref="BlockSize"/> bytes rather
/// than its own 4 KiB. The socket transport receives into one block per system call, so a 6.4 MB binary tensor took
/// about 1,600 receives, each with a pipe flush and a wake-up of the reader; with 64 KiB blocks it takes about 100.
/// Measured on the 2-core machine (loopback, a Python client that is not itself the bottleneck): the S2 input through
/// /v2 went from 20 to 7 ms, and the S2 convolution through /v2 from 36 to 23 ms (README, "Binary tensors").
/// An idle connection holds no block (Kestrel waits for data before it takes one), so the cost is a block for each
/// connection in the middle of a transfer; at most <see cref="RetainedBlocks"/> returned blocks are kept for reuse.
/// </summary>
public static class TransportMemory
{
    /// <summary>64 KiB: as fast as 128 and 256 KiB blocks in the same sitting, at a quarter of their memory per transfer.</summary>
    public const int BlockSize = 64 * 1024;

    /// <summary>Returned blocks a pool keeps (16 MiB); more are left to the garbage collector.</summary>
    public const int RetainedBlocks = 256;

    /// <summary>Gives Kestrel (its socket transport and its HTTP layer) pools of <see cref="BlockSize"/> blocks.</summary>
    public static IServiceCollection AddTransportMemory(this IServiceCollection services) =>
        services.AddSingleton<IMemoryPoolFactory<byte>, BlockPoolFactory>();

    private sealed class BlockPoolFactory : IMemoryPoolFactory<byte>
    {
        public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new BlockPool(BlockSize, RetainedBlocks);
    }
}

/// <summary>
/// A pool of pinned blocks of one size (pinned because the socket transport hands them to the operating system).
/// A block is handed back by disposing its owner once; a second dispose is ignored, so no two renters ever share one.
/// </summary>
public sealed class BlockPool(int blockSize, int retained) : MemoryPool<byte>
{
    private readonly ConcurrentQueue<Block> _free = new();
    private int _freeCount;
    private volatile bool _disposed;

    public override int MaxBufferSize => blockSize;

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minBufferSize"/> is more than a block.</exception>
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, blockSize);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _freeCount);
            return block.Lend();
        }
        return new Block(this, GC.AllocateUninitializedArray<byte>(blockSize, pinned: true)).Lend();
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        _free.Clear();
    }

    private void Return(Block block)
    {
        if (_disposed || Interlocked.Increment(ref _freeCount) > retained)
        {
            Interlocked.Decrement(ref _freeCount);
            return;
        }
        _free.Enqueue(block);
    }

    private sealed class Block(BlockPool pool, byte[] array) : IMemoryOwner<byte>
    {
        private int _lent;

        public Memory<byte> Memory => array;

        public Block Lend()
        {
            Volatile.Write(ref _lent, 1);
            return this;
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _lent, 0) == 1)
                pool.Return(this);
        }
    }
}
