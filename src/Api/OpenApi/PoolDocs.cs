using ConvService.Domain.Pooling;

namespace ConvService.Api.OpenApi;

/// <summary>What Swagger says about each pooling mode.</summary>
public static class PoolDocs
{
    public static string Summary(PoolMode mode) => mode switch
    {
        PoolMode.Max => "Max pooling, as torch.nn.functional.max_pool2d",
        PoolMode.Avg => "Average pooling, as torch.nn.functional.avg_pool2d",
        PoolMode.Lp => "Power-average pooling, as torch.nn.functional.lp_pool2d",
        PoolMode.FractionalMax => "Fractional max pooling, as torch.nn.functional.fractional_max_pool2d",
        PoolMode.AdaptiveMax => "Adaptive max pooling, as torch.nn.functional.adaptive_max_pool2d",
        _ => "Adaptive average pooling, as torch.nn.functional.adaptive_avg_pool2d",
    };

    public static string Description(PoolMode mode) => mode switch
    {
        PoolMode.Max => "Fields: kernelSize, stride, padding (−∞, at most half the dilated kernel), dilation, ceilMode, returnIndices. The prefilled example is the seed's: max-pool C with a 2×2 window, stride 1 → [[109,92],[110,85]].",
        PoolMode.Avg => "Fields: kernelSize, stride, padding (zeros, at most half the kernel), ceilMode, countIncludePad, divisorOverride. The divisor at the borders is the window clipped to the padded input (countIncludePad) or to the input.",
        PoolMode.Lp => "Fields: kernelSize, stride, ceilMode, normType p > 0. Computed as PyTorch: (avg_pool2d(x^p) · kH·kW)^(1/p).",
        PoolMode.FractionalMax => "Fields: kernelSize, outputSize or outputRatio, randomSamples (per plane the width sample first) or seed, returnIndices. The response returns the samples used.",
        PoolMode.AdaptiveMax => "Fields: outputSize (a null entry keeps that axis), returnIndices. Window i spans [floor(i·I/O), ceil((i+1)·I/O)).",
        _ => "Fields: outputSize (a null entry keeps that axis). Window i spans [floor(i·I/O), ceil((i+1)·I/O)).",
    };

    public static string Gradient(PoolMode mode) => mode.IsMaxType()
        ? "Each gradient goes to its window's maximum (the first in row-major order on ties)."
        : "Each gradient is spread over its window by the forward's formula.";
}
