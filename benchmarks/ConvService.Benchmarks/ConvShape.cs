using ConvService.Domain.Convolution;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Benchmarks;

/// <summary>
/// A benchmark convolution: stride 1, padding k/2 on every axis, the shapes libtorch was measured on (issue 5: S1–S4 in
/// 2-D; issue 12: S6 in 3-D, S7 in 1-D).
/// </summary>
public sealed record ConvShape(string Name, int N, int C, int[] Sizes, int K, int Cout)
{
    public static readonly ConvShape[] All =
    [
        new("S1", 1, 3, [224, 224], 7, 64),
        new("S2", 8, 64, [56, 56], 3, 64),
        new("S3", 1, 256, [14, 14], 3, 256),
        new("S4", 32, 1, [28, 28], 5, 32),
        new("S6", 2, 16, [16, 16, 16], 3, 32),
        new("S7", 8, 64, [4096], 5, 64),
    ];

    /// <summary>d, the number of spatial axes.</summary>
    public int SpatialDims => Sizes.Length;

    public TensorShape Input => new([N, C, .. Sizes]);

    public TensorShape Kernel => new([Cout, C, .. Enumerable.Repeat(K, SpatialDims)]);

    public ConvOptions Options => ConvOptions.Default(SpatialDims) with { Padding = ConvPadding.Explicit(Spatial.Repeat(K / 2, SpatialDims)) };

    /// <summary>Floating-point operations of one forward pass: 2·N·Cout·Π O·C·Π k (backward does twice as many).</summary>
    public double ForwardFlops => 2.0 * ConvGeometry.Create(Input, Kernel, null, Options).MultiplyAdds;

    /// <summary>The geometry of the unpadded convolution over the padded input, as the kernels see it.</summary>
    public ConvGeometry PaddedGeometry => ConvGeometry.Create(
        new TensorShape([N, C, .. Sizes.Select(s => s + K / 2 * 2)]), Kernel, null, ConvOptions.Default(SpatialDims) with { Padding = ConvPadding.Valid });

    /// <summary>"8×64×56×56 k3 → 64", the row label of the quick table.</summary>
    public string Description => $"{N}×{C}×{string.Join('×', Sizes)} k{K} → {Cout}";

    public override string ToString() => Name;
}
