using ConvService.Domain.Tensors;

namespace ConvService.Domain.Pooling.Rows;

/// <summary>
/// Scratch of the row kernels: up to <see cref="StackElements"/> on the caller's stack, more rented from
/// <see cref="TensorPool{T}"/>. A kernel writes
/// <c>var rented = RowScratch.RentAbove&lt;T&gt;(length); var scratch = rented is null ? stackalloc T[RowScratch.StackElements] : rented;</c>
/// and returns <c>rented</c> in a finally block.
/// </summary>
internal static class RowScratch
{
    public const int StackElements = 1024;

    /// <summary>A rented buffer of at least <paramref name="length"/> when that is more than the stack holds, else null.</summary>
    public static T[]? RentAbove<T>(int length) => length > StackElements ? TensorPool<T>.Shared.Rent(length) : null;

    public static void Return<T>(T[]? rented)
    {
        if (rented is not null)
            TensorPool<T>.Shared.Return(rented);
    }
}
