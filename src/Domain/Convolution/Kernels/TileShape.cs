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

/// <summary>A micro-kernel's width in vectors as a type, for the narrower last panel of a row of pixels.</summary>
internal interface ITileVectors
{
    static abstract int Count { get; }
}

internal readonly struct ThreeVectors : ITileVectors
{
    public static int Count => 3;
}

internal readonly struct TwoVectors : ITileVectors
{
    public static int Count => 2;
}

internal readonly struct OneVector : ITileVectors
{
    public static int Count => 1;
}
