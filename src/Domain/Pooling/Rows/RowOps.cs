using System.Numerics;
using System.Runtime.Intrinsics;

namespace ConvService.Domain.Pooling.Rows;

/// <summary>A binary element operation at every vector width, so one row loop serves float and double.</summary>
internal interface IRowOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract T Apply(T acc, T value);

    static abstract Vector128<T> Apply(Vector128<T> acc, Vector128<T> value);

    static abstract Vector256<T> Apply(Vector256<T> acc, Vector256<T> value);

    static abstract Vector512<T> Apply(Vector512<T> acc, Vector512<T> value);
}

/// <summary>PyTorch's max-pool step <c>value &gt; acc || isnan(value) ? value : acc</c>: ties keep the first, a NaN wins.</summary>
internal readonly struct MaxOp<T> : IRowOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T acc, T value) => value > acc || T.IsNaN(value) ? value : acc;

    public static Vector128<T> Apply(Vector128<T> acc, Vector128<T> value) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(value, acc) | ~Vector128.Equals(value, value), value, acc);

    public static Vector256<T> Apply(Vector256<T> acc, Vector256<T> value) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(value, acc) | ~Vector256.Equals(value, value), value, acc);

    public static Vector512<T> Apply(Vector512<T> acc, Vector512<T> value) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(value, acc) | ~Vector512.Equals(value, value), value, acc);
}

/// <summary>
/// <see cref="MaxOp{T}"/> for rows known to hold no NaN: <c>value &gt; acc ? value : acc</c>, which is x86's
/// <c>vmaxps value, acc</c> itself (ties, ±0 included, keep <c>acc</c>). Only valid where <see cref="IsExact"/>.
/// </summary>
internal readonly struct NumberMaxOp<T> : IRowOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Whether MaxNative keeps the first operand's tie order here: x86 does; Arm's fmax orders −0 below +0.</summary>
    public static bool IsExact => System.Runtime.Intrinsics.X86.Sse.IsSupported;

    public static T Apply(T acc, T value) => value > acc ? value : acc;

    public static Vector128<T> Apply(Vector128<T> acc, Vector128<T> value) => Vector128.MaxNative(value, acc);

    public static Vector256<T> Apply(Vector256<T> acc, Vector256<T> value) => Vector256.MaxNative(value, acc);

    public static Vector512<T> Apply(Vector512<T> acc, Vector512<T> value) => Vector512.MaxNative(value, acc);
}

/// <summary><c>acc + value</c>.</summary>
internal readonly struct AddOp<T> : IRowOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T acc, T value) => acc + value;

    public static Vector128<T> Apply(Vector128<T> acc, Vector128<T> value) => acc + value;

    public static Vector256<T> Apply(Vector256<T> acc, Vector256<T> value) => acc + value;

    public static Vector512<T> Apply(Vector512<T> acc, Vector512<T> value) => acc + value;
}

/// <summary><c>acc · value</c>.</summary>
internal readonly struct MultiplyOp<T> : IRowOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T acc, T value) => acc * value;

    public static Vector128<T> Apply(Vector128<T> acc, Vector128<T> value) => acc * value;

    public static Vector256<T> Apply(Vector256<T> acc, Vector256<T> value) => acc * value;

    public static Vector512<T> Apply(Vector512<T> acc, Vector512<T> value) => acc * value;
}

/// <summary><c>acc / value</c>.</summary>
internal readonly struct DivideOp<T> : IRowOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T acc, T value) => acc / value;

    public static Vector128<T> Apply(Vector128<T> acc, Vector128<T> value) => acc / value;

    public static Vector256<T> Apply(Vector256<T> acc, Vector256<T> value) => acc / value;

    public static Vector512<T> Apply(Vector512<T> acc, Vector512<T> value) => acc / value;
}
