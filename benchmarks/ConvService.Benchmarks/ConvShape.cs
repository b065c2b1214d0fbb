using ConvService.Domain.Convolution;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Benchmarks;

/// <summary>
/// A benchmark convolution: padding k/2 on every axis, the shapes the libtorch peer measures (issue 5: S1–S4 in 2-D;
/// issue 14: S5, stride 2; issue 12: S6 in 3-D, S7 in 1-D).
/// </summary>
public sealed record ConvShape(string Name, int N, int C, int[] Sizes, int K, int Cout, int Stride = 1)
{
    public static readonly ConvShape[] All =
    [
        new("S1", 1, 3, [224, 224], 7, 64),
        new("S2", 8, 64, [56, 56], 3, 64),
        new("S3", 1, 256, [14, 14], 3, 256),
        new("S4", 32, 1, [28, 28], 5, 32),
        new("S5", 1, 64, [112, 112], 3, 128, Stride: 2),
        new("S6", 2, 16, [16, 16, 16], 3, 32),
        new("S7", 8, 64, [4096], 5, 64),
    ];

    /// <summary>
    /// A named shape (S1–S7), or one written out as <c>N,C,SIZES,K,Cout[,stride]</c> with the sizes joined by x (e.g.
    /// <c>4,1,28x28,5,32</c>): for trying a change on shapes beside the named ones.
    /// </summary>
    public static ConvShape Find(string name)
    {
        if (!name.Contains(','))
            return All.Single(shape => shape.Name == name);
        var parts = name.Split(',');
        var sizes = parts[2].Split('x').Select(int.Parse).ToArray();
        return new(name, int.Parse(parts[0]), int.Parse(parts[1]), sizes, int.Parse(parts[3]), int.Parse(parts[4]), parts.Length > 5 ? int.Parse(parts[5]) : 1);
    }

    /// <summary>d, the number of spatial axes.</summary>
    public int SpatialDims => Sizes.Length;

    public TensorShape Input => new([N, C, .. Sizes]);

    public TensorShape Kernel => new([Cout, C, .. Enumerable.Repeat(K, SpatialDims)]);

    public ConvOptions Options => ConvOptions.Default(SpatialDims) with
    {
        Stride = Spatial.Repeat(Stride, SpatialDims),
        Padding = ConvPadding.Explicit(Spatial.Repeat(K / 2, SpatialDims)),
    };

    public ConvGeometry Geometry => ConvGeometry.Create(Input, Kernel, null, Options);

    /// <summary>Floating-point operations of one forward pass: 2·N·Cout·Π O·C·Π k (backward does twice as many).</summary>
    public double ForwardFlops => 2.0 * Geometry.MultiplyAdds;

    /// <summary>The geometry of the unpadded convolution over the padded input, as the kernels see it.</summary>
    public ConvGeometry PaddedGeometry => ConvGeometry.Create(
        new TensorShape([N, C, .. Sizes.Select(s => s + K / 2 * 2)]), Kernel, null, Options with { Padding = ConvPadding.Valid });

    /// <summary>"8×64×56×56 k3 → 64", the row label of the quick table ("s2" when strided).</summary>
    public string Description => $"{N}×{C}×{string.Join('×', Sizes)} k{K}{(Stride > 1 ? $" s{Stride}" : "")} → {Cout}";

    public override string ToString() => Name;
}
