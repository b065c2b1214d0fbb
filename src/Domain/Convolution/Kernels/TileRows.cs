namespace ConvService.Domain.Convolution.Kernels;

/// <summary>
/// A micro-kernel's row count as a type, so that the JIT compiles one specialised copy per count from one source
/// (a static abstract member of a struct type argument is a constant in that instantiation).
/// </summary>
internal interface ITileRows
{
    static abstract int Count { get; }
}

/// <summary>The full block: eight rows.</summary>
internal readonly struct EightRows : ITileRows
{
    public static int Count => 8;
}

/// <summary>The remainder block: four rows.</summary>
internal readonly struct FourRows : ITileRows
{
    public static int Count => 4;
}
