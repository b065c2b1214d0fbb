using ConvService.Domain.Convolution;
using ConvService.Domain.Geometry;
using ConvService.Domain.Pooling;

namespace ConvService.Api.Learn;

/// <summary>
/// Each axis's output-size formula written with the request's numbers. The result at the end of each is the Domain's
/// (<see cref="WindowAxis.Output"/>, from <see cref="OutputSize.Of"/>); the formula only shows how it comes out.
/// </summary>
public static class SizeFormulas
{
    /// <summary>"floor((5 + 0 + 0 − 1·(3 − 1) − 1) / 1) + 1 = 3", one per axis of a convolution.</summary>
    public static IReadOnlyList<string> Conv(ConvGeometry geometry) => [.. geometry.Axes.Select(a => Sliding(a, ceilMode: false))];

    /// <summary>"(3 − 1)·2 − 2·0 + 1·(2 − 1) + 0 + 1 = 6", one per axis of a transposed convolution.</summary>
    public static IReadOnlyList<string> Transposed(ConvTransposeGeometry geometry) =>
        [.. geometry.Forward.Axes.Select((a, i) =>
            $"({a.Output} − 1)·{a.Stride} − 2·{a.PadBegin} + {a.Dilation}·({a.Kernel} − 1) + {geometry.OutputPadding[i]} + 1 = {a.Input}")];

    /// <summary>Per axis of a pooling call: the sliding rule, the adaptive size asked for (or kept), or fractional-max's size or ratio.</summary>
    public static IReadOnlyList<string> Pool(PoolGeometry geometry, PoolOptions options) =>
        [.. geometry.Axes.Select((a, i) => geometry.Mode.Windowing() switch
        {
            PoolWindowing.Sliding => Sliding(a, options.CeilMode == true),
            PoolWindowing.Adaptive => options.OutputSize?.Sizes[i] is null ? $"outputSize null keeps the input's {a.Output}" : $"outputSize {a.Output}",
            _ => options.OutputRatio is { } ratio ? $"floor({a.Input} · {LearnText.Number(ratio.Ratios[i])}) = {a.Output}" : $"outputSize {a.Output}",
        })];

    /// <summary>
    /// The sliding-window rule, <c>floor((I + padBegin + padEnd − dilation·(K − 1) − 1) / stride) + 1</c>, or with ceil;
    /// in ceil mode a last window that would start in the end padding is dropped, and the formula says so.
    /// </summary>
    public static string Sliding(WindowAxis a, bool ceilMode)
    {
        var span = (long)a.Input + a.PadBegin + a.PadEnd - a.Dilation * (a.Kernel - 1L) - 1;
        var quotient = ceilMode ? (long)Math.Ceiling(span / (double)a.Stride) : (long)Math.Floor(span / (double)a.Stride);
        var formula = $"{(ceilMode ? "ceil" : "floor")}(({a.Input} + {a.PadBegin} + {a.PadEnd} − {a.Dilation}·({a.Kernel} − 1) − 1) / {a.Stride}) + 1 = {quotient + 1}";
        if (quotient + 1 == a.Output)
            return formula;
        return ceilMode && quotient + 1 == a.Output + 1
            ? $"{formula}, less the last window, which would start in the end padding: {a.Output}"
            : $"{formula}: no window fits, {a.Output}";
    }
}
