using System.Buffers;
using System.Runtime.InteropServices;

namespace ConvService.Api.Wire;

/// <summary>
/// The float32 values that <see cref="RequestTensor"/> narrows into the front half of its own double buffer, exposed as
/// <see cref="Memory{T}"/> of float; the double array stays owned (and pooled) by the tensor.
/// </summary>
internal sealed class NarrowedMemory(double[] buffer, int length) : MemoryManager<float>
{
    private GCHandle _pin;

    public override Span<float> GetSpan() => MemoryMarshal.Cast<double, float>(buffer.AsSpan())[..length];

    public override unsafe MemoryHandle Pin(int elementIndex = 0)
    {
        if (!_pin.IsAllocated)
            _pin = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        return new MemoryHandle((float*)_pin.AddrOfPinnedObject() + elementIndex, default, this);
    }

    public override void Unpin()
    {
        if (_pin.IsAllocated)
            _pin.Free();
    }

    protected override void Dispose(bool disposing) => Unpin();
}
