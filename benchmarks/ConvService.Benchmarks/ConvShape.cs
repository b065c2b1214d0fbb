using ConvService.Domain.Convolution;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Benchmarks;

/// <summary>A benchmark convolution: padding k/2, the shapes the libtorch peer measures (issues 5 and 14).</summary>
public sealed record ConvShape(string Name, int N, int C, int H, int W, int K, int Cout, int Stride = 1)
{
    public static readonly ConvShape[] All =
    [
        new("S1", 1, 3, 224, 224, 7, 64),
        new("S2", 8, 64, 56, 56, 3, 64),
        new("S3", 1, 256, 14, 14, 3, 256),
        new("S4", 32, 1, 28, 28, 5, 32),
        new("S5", 1, 64, 112, 112, 3, 128, Stride: 2),
    ];

    public TensorShape Input => new(N, C, H, W);

    public TensorShape Kernel => new(Cout, C, K, K);

    public ConvOptions Options => ConvOptions.Default(2) with { Stride = new Spatial(Stride, Stride), Padding = ConvPadding.Explicit(new Spatial(K / 2, K / 2)) };

    public ConvGeometry Geometry => ConvGeometry.Create(Input, Kernel, null, Options);

    /// <summary>Floating-point operations of one forward pass: 2·N·Cout·Ho·Wo·C·k² (backward does twice as many).</summary>
    public double ForwardFlops => 2.0 * Geometry.MultiplyAdds;

    /// <summary>The geometry of the unpadded convolution over the padded input, as the kernels see it.</summary>
    public ConvGeometry PaddedGeometry => ConvGeometry.Create(
        new TensorShape(N, C, H + K / 2 * 2, W + K / 2 * 2), Kernel, null, Options with { Padding = ConvPadding.Valid });

    public override string ToString() => Name;
}
