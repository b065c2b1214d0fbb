using System.Buffers;
using System.Runtime.CompilerServices;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Tests.Support;

/// <summary>
/// Every buffer the operators rent in these tests comes full of NaN, whatever it held before, so that a kernel reading a
/// lane it never wrote fails here and not only when a request's buffer happens to hold something from an earlier one
/// (as Winograd's kernel gradient read the lanes past a block's last tile that no transform wrote). The API's tests
/// compile this file too, so every endpoint's requests run over such buffers.
/// </summary>
internal static class PoisonedPool
{
    [ModuleInitializer]
    internal static void Install()
    {
        TensorPool<float>.Shared = new NaNFilled<float>(TensorPool<float>.Shared, float.NaN);
        TensorPool<double>.Shared = new NaNFilled<double>(TensorPool<double>.Shared, double.NaN);
    }

    private sealed class NaNFilled<T>(ArrayPool<T> pool, T nan) : ArrayPool<T>
    {
        public override T[] Rent(int minimumLength)
        {
            var array = pool.Rent(minimumLength);
            array.AsSpan().Fill(nan);
            return array;
        }

        public override void Return(T[] array, bool clearArray = false) => pool.Return(array, clearArray);
    }
}
