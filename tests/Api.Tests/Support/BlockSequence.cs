using System.Buffers;

namespace ConvService.Api.Tests.Support;

/// <summary>Bytes as a sequence of blocks over the same memory, the way Kestrel's pipe hands a body to the binder.</summary>
public sealed class BlockSequence : ReadOnlySequenceSegment<byte>
{
    private BlockSequence(ReadOnlyMemory<byte> memory, long runningIndex) => (Memory, RunningIndex) = (memory, runningIndex);

    /// <summary>Blocks of <paramref name="size"/> bytes (the last may be shorter); 0 gives one block.</summary>
    public static ReadOnlySequence<byte> Of(byte[] bytes, int size)
    {
        if (size <= 0 || size >= bytes.Length)
            return new ReadOnlySequence<byte>(bytes);
        var first = new BlockSequence(bytes.AsMemory(0, size), 0);
        var last = first;
        for (var start = size; start < bytes.Length; start += size)
        {
            var next = new BlockSequence(bytes.AsMemory(start, Math.Min(size, bytes.Length - start)), start);
            last.Next = next;
            last = next;
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
