namespace ConvService.Domain.Geometry;

/// <summary>What the cells outside the input hold, as PyTorch's <c>padding_mode</c>.</summary>
public enum PaddingMode
{
    /// <summary>Zero.</summary>
    Zeros,

    /// <summary>The input mirrored about its edge cell, not repeating it (padding must be smaller than the input).</summary>
    Reflect,

    /// <summary>The edge cell repeated.</summary>
    Replicate,

    /// <summary>The input wrapped around (padding at most the input size).</summary>
    Circular,
}
