namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// Puts a kernel's scratch buffer on a cache-line boundary. An array is only 8- or 16-byte aligned, so three of every
/// four 64-byte vector loads from one straddle two lines and take two of the load pipes' slots: a tile reading its
/// operands from such a buffer hits the load ports before the FMA pipes.
/// </summary>
internal static unsafe class CacheLine
{
    public const int Bytes = 64;

    /// <summary>Elements to rent beyond what a buffer holds, so that <see cref="Align{T}"/> stays inside it.</summary>
    public static int Slack<T>() where T : unmanaged => Bytes / sizeof(T);

    /// <summary>The first 64-byte boundary at or after <paramref name="at"/>.</summary>
    public static T* Align<T>(T* at) where T : unmanaged => (T*)(((nint)at + Bytes - 1) & ~(nint)(Bytes - 1));
}
