using ConvService.Domain.Pooling;

namespace ConvService.Api.OpenApi;

/// <summary>What Swagger says about each pooling mode.</summary>
public static class PoolDocs
{
    public static string Summary(PoolMode mode) => mode switch
    {
        PoolMode.Max => "Max pooling in 1, 2 or 3 spatial dimensions, as torch.nn.functional.max_pool1d/2d/3d",
        PoolMode.Avg => "Average pooling in 1, 2 or 3 spatial dimensions, as torch.nn.functional.avg_pool1d/2d/3d",
        PoolMode.Lp => "Power-average pooling in 1, 2 or 3 spatial dimensions, as torch.nn.functional.lp_pool1d/2d/3d",
        PoolMode.FractionalMax => "Fractional max pooling in 2 or 3 spatial dimensions, as torch.nn.functional.fractional_max_pool2d/3d",
        PoolMode.AdaptiveMax => "Adaptive max pooling in 1, 2 or 3 spatial dimensions, as torch.nn.functional.adaptive_max_pool1d/2d/3d",
        _ => "Adaptive average pooling in 1, 2 or 3 spatial dimensions, as torch.nn.functional.adaptive_avg_pool1d/2d/3d",
    };

    public static string Description(PoolMode mode) => mode switch
    {
        PoolMode.Max => SpatialDims + "Fields: kernelSize, stride, padding (−∞, at most half the kernel: the dilated kernel in 2-D, as PyTorch checks), dilation, ceilMode, returnIndices (flat positions in L, H·W or D·H·W). " +
                        "The prefilled example is the seed's: max-pool C with a 2×2 window, stride 1 → [[109,92],[110,85]]; 1-D and 3-D examples follow.",
        PoolMode.Avg => SpatialDims + "Fields: kernelSize, stride, padding (zeros, at most half the kernel), ceilMode, countIncludePad, divisorOverride (2-D and 3-D: avg_pool1d has none). " +
                        "The divisor at the borders is the window clipped to the padded input (countIncludePad) or to the input; 3-D needs each input size ≥ the kernel's, as avg_pool3d.",
        PoolMode.Lp => SpatialDims + "Fields: kernelSize, stride, ceilMode, normType p > 0. Computed as PyTorch: (avg_pool(x^p) · K)^(1/p), K the product of the kernel sizes, so a ceil-mode window cut at the edge is scaled by K / cells inside.",
        PoolMode.FractionalMax => "spatialDims 2 or 3 (PyTorch has no 1-D form). Fields: kernelSize, outputSize or outputRatio, randomSamples (d per plane: 2-D width then height; 3-D depth, height, width) or seed, returnIndices. " +
                                  "PyTorch's limits: O + K − 1 ≤ I in 2-D, O + K − 1 < I in 3-D. The response returns the samples used.",
        PoolMode.AdaptiveMax => SpatialDims + "Fields: outputSize (2-D and 3-D: a null entry keeps that axis), returnIndices. Window i spans [floor(i·I/O), ceil((i+1)·I/O)).",
        _ => SpatialDims + "Fields: outputSize (2-D and 3-D: a null entry keeps that axis). Window i spans [floor(i·I/O), ceil((i+1)·I/O)).",
    };

    private const string SpatialDims = "spatialDims 1, 2 (default) or 3: the input's last d axes are spatial; rank d, d + 1 (C, …) or d + 2 (N, C, …). ";

    public static string Gradient(PoolMode mode) => mode.IsMaxType()
        ? "Each gradient goes to its window's maximum (the first in row-major order on ties)."
        : "Each gradient is spread over its window by the forward's formula.";
}
