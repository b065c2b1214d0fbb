using System.Buffers;

namespace ConvService.Api.Tests.Support;

/// <summary>
/// Bytes as a sequence of blocks, the way Kestrel's pipe hands a body to the binder. Each block is a copy in an array of
/// its own, followed there by numbers ("7,7,…") that are not part of the body: a reader that ran past a block's end
/// would read those, not the next block's bytes, and its numbers would come out wrong.
/// </summary>
public sealed class BlockSequence : ReadOnlySequenceSegment<byte>
{
    private BlockSequence(ReadOnlyMemory<byte> memory, long runningIndex) => (Memory, RunningIndex) = (memory, runningIndex);

    /// <summary>Blocks of <paramref name="size"/> bytes (the last may be shorter); 0 gives one block.</summary>
    public static ReadOnlySequence<byte> Of(byte[] bytes, int size)
    {
        if (size <= 0 || size >= bytes.Length)
            return new ReadOnlySequence<byte>(bytes);
        var first = new BlockSequence(Copy(bytes, 0, size), 0);
        var last = first;
        for (var start = size; start < bytes.Length; start += size)
        {
            var next = new BlockSequence(Copy(bytes, start, Math.Min(size, bytes.Length - start)), start);
            last.Next = next;
            last = next;
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private static ReadOnlyMemory<byte> Copy(byte[] bytes, int start, int length)
    {
        var block = new byte[length + Canary.Length];
        bytes.AsSpan(start, length).CopyTo(block);
        Canary.CopyTo(block.AsSpan(length));
        return block.AsMemory(0, length);
    }

    private static ReadOnlySpan<byte> Canary => "7,7,7,7,7,7,7,7,"u8;
}
