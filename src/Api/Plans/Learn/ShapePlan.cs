using System.Collections.Immutable;
using ConvService.Api.Contracts;
using ConvService.Api.Contracts.Learn;
using ConvService.Api.Hosting;
using ConvService.Api.Json;
using ConvService.Domain.Convolution;
using ConvService.Domain.Geometry;
using ConvService.Domain.Pooling;
using ConvService.Domain.Tensors;

namespace ConvService.Api.Plans.Learn;

/// <summary>One layer of a /shape stack resolved by its route's Domain rules: its geometry (one of the three), its shapes and counts.</summary>
/// <param name="Op">The layer's op.</param>
/// <param name="Input">The shape the layer receives.</param>
/// <param name="Output">The shape it gives the next layer.</param>
/// <param name="Parameters">Weights plus bias (0 for a pool).</param>
/// <param name="MultiplyAdds">The forward pass's multiply-adds (0 for a pool).</param>
/// <param name="WindowReads">A pool's window reads (the service's work unit for pooling), else null.</param>
/// <param name="Conv">A conv layer's geometry.</param>
/// <param name="Transposed">A conv-transpose layer's geometry.</param>
/// <param name="Pool">A pool layer's geometry.</param>
/// <param name="PoolOptions">A pool layer's options (its output-size formula shows outputRatio and kept axes).</param>
public sealed record ShapeStep(string Op, TensorShape Input, TensorShape Output, long Parameters, long MultiplyAdds, long? WindowReads,
    ConvGeometry? Conv = null, ConvTransposeGeometry? Transposed = null, PoolGeometry? Pool = null, PoolOptions? PoolOptions = null);

/// <summary>
/// A /shape request resolved once: each layer through the geometry its route would build (<see cref="ConvGeometry"/>,
/// <see cref="ConvTransposeGeometry"/>, <see cref="PoolGeometry"/>) from a shape alone, so that the shapes, formulas and
/// the first rule a layer breaks (a 400 naming <c>layers[i].field</c>) are the routes' own. Costs O(layers).
/// </summary>
public sealed record ShapePlan(TensorShape Input, ImmutableArray<ShapeStep> Steps, Cost Cost) : IPlan
{
    /// <summary>The ops a layer may name: the two convolutions and every pool mode.</summary>
    public static readonly IReadOnlyList<string> Ops = ["conv", "conv-transpose", .. Enum.GetValues<PoolMode>().Select(m => m.WireName())];

    /// <summary>Shapes carry no numbers; the dtype is the default.</summary>
    public DType Dtype => DType.Float64;

    public static PlanResult<ShapePlan> Create(TensorShape input, int spatialDims, IReadOnlyList<ShapeLayer> layers, ServiceLimits limits)
    {
        if (layers.Count > limits.MaxShapeLayers)
            return PlanResult<ShapePlan>.Failed("layers", $"layers has {layers.Count} entries; the limit is {limits.MaxShapeLayers} (Limits:MaxShapeLayers)");
        var steps = ImmutableArray.CreateBuilder<ShapeStep>(layers.Count);
        var shape = input;
        for (var i = 0; i < layers.Count; i++)
        {
            var (step, problems) = Resolve(layers[i], shape, spatialDims);
            if (step is null)
                return PlanResult<ShapePlan>.Failed([.. problems.Select(p => Named(p, i))]);
            steps.Add(step);
            shape = step.Output;
        }
        return new ShapePlan(input, steps.MoveToImmutable(), new Cost(layers.Count, input.Rank, layers.Count));
    }

    private static (ShapeStep? Step, IReadOnlyList<ParameterProblem> Problems) Resolve(ShapeLayer layer, TensorShape input, int d)
    {
        if (SpatialLayout.RankProblem("input", input, d, layer.Op == "conv" || layer.Op == "conv-transpose" ? "convolution" : "pooling") is { } rank)
            return (null, [rank]);
        if (input.Dims.Any(size => size == 0))
            return (null, [new("input", $"the input {input} has an empty dimension")]);
        return layer.Op switch
        {
            "conv" => Conv(layer, SpatialLayout.Of(input, d), d),
            "conv-transpose" => Transposed(layer, SpatialLayout.Of(input, d), d),
            _ => Pool(layer, Enum.GetValues<PoolMode>().First(m => m.WireName() == layer.Op), input, d),
        };
    }

    private static (ShapeStep?, IReadOnlyList<ParameterProblem>) Conv(ShapeLayer layer, SpatialLayout input, int d)
    {
        if (Weights(layer, input, d, transposed: false) is not { } weights)
            return (null, [WeightsProblem(layer, input, d, transposed: false)]);
        var (kernel, bias, outChannels) = weights;
        var options = new ConvOptions(d, layer.Stride?.Resolve(d) ?? Spatial.Repeat(1, d), layer.Padding?.Resolve(d) ?? ConvPadding.Explicit(Spatial.Repeat(0, d)),
            layer.Dilation?.Resolve(d) ?? Spatial.Repeat(1, d), layer.Groups ?? 1, layer.PaddingMode ?? PaddingMode.Zeros);
        if (ConvGeometry.TryCreate(input.Shape, kernel, bias, options, out var problems) is not { } g)
            return (null, problems);
        var parameters = (kernel.ElementCount ?? 0) + (bias is null ? 0 : outChannels);
        return (new ShapeStep("conv", input.Shape, g.OutputShape, parameters, g.MultiplyAdds, null, Conv: g), []);
    }

    private static (ShapeStep?, IReadOnlyList<ParameterProblem>) Transposed(ShapeLayer layer, SpatialLayout input, int d)
    {
        if (layer.Padding is { } padding && (padding.Kind != ConvPaddingKind.Explicit || padding.HasPairs))
            return (null, [new("padding", $"a conv-transpose layer's padding is one integer or a list of d integers, as PyTorch's ConvTranspose; got {padding}")]);
        if (layer.OutputSize is { } size && size.Values.Any(v => v is null))
            return (null, [new("outputSize", $"a conv-transpose layer's outputSize holds integers; got {size}")]);
        if (Weights(layer, input, d, transposed: true) is not { } weights)
            return (null, [WeightsProblem(layer, input, d, transposed: true)]);
        var (kernel, bias, outChannels) = weights;
        var options = new ConvTransposeOptions(d, layer.Stride?.Resolve(d) ?? Spatial.Repeat(1, d), layer.Padding?.Resolve(d).Begin ?? Spatial.Repeat(0, d),
            layer.Dilation?.Resolve(d) ?? Spatial.Repeat(1, d), layer.Groups ?? 1, layer.OutputPadding?.Resolve(d),
            layer.OutputSize is { } sizes ? new Spatial([.. sizes.ValuesFor(d).Select(v => v!.Value)]) : null);
        if (ConvTransposeGeometry.TryCreate(input.Shape, kernel, bias, options, out var problems) is not { } g)
            return (null, problems);
        var parameters = (kernel.ElementCount ?? 0) + (bias is null ? 0 : outChannels);
        return (new ShapeStep("conv-transpose", input.Shape, g.OutputShape, parameters, g.MultiplyAdds, null, Transposed: g), []);
    }

    private static (ShapeStep?, IReadOnlyList<ParameterProblem>) Pool(ShapeLayer layer, PoolMode mode, TensorShape input, int d)
    {
        if (layer.Padding is { } padding && (padding.Kind != ConvPaddingKind.Explicit || padding.HasPairs))
            return (null, [new("padding", $"a pooling layer's padding is one integer or a list of d integers, as /pool/{mode.WireName()} takes it; got {padding}")]);
        var options = new PoolOptions(layer.KernelSize?.Resolve(d), layer.Stride?.Resolve(d), layer.Padding?.Resolve(d).Begin, layer.Dilation?.Resolve(d),
            layer.CeilMode, layer.CountIncludePad, layer.DivisorOverride, layer.NormType,
            layer.OutputSize is { } size ? new PoolOutputSize(size.ValuesFor(d).AsSpan()) : null,
            layer.OutputRatio is { } ratio ? new PoolRatio(ratio.ValuesFor(d).AsSpan()) : null,
            SpatialDims: d);
        if (PoolGeometry.TryCreate(mode, input, options, null, out var problems) is not { } g)
            return (null, problems);
        return (new ShapeStep(mode.WireName(), input, g.OutputShape, 0, 0, g.WindowReads, Pool: g, PoolOptions: options), []);
    }

    /// <summary>
    /// The weight and bias shapes of a conv (Cout, C/groups, k…) or conv-transpose (C, Cout/groups, k…) layer over
    /// <paramref name="input"/> ((k…) for a single plane), or null when outChannels, kernelSize or groups cannot make one.
    /// </summary>
    private static (TensorShape Kernel, TensorShape? Bias, int OutChannels)? Weights(ShapeLayer layer, SpatialLayout input, int d, bool transposed)
    {
        var (groups, single) = (layer.Groups ?? 1, input.Form == SpatialForm.Single);
        if (layer.KernelSize is not { } k || k.ValuesFor(d).Any(v => v < 1) || groups < 1)
            return null;
        var outChannels = single ? layer.OutChannels ?? 1 : layer.OutChannels ?? 0;
        if (outChannels < 1 || single && outChannels != 1 || transposed && outChannels % groups != 0)
            return null;
        var sizes = k.ValuesFor(d);
        TensorShape kernel = single ? new([.. sizes])
            : transposed ? new([input.Channels, outChannels / groups, .. sizes])
            : new([outChannels, Math.Max(1, input.Channels / groups), .. sizes]);
        return (kernel, layer.Bias ?? true ? new TensorShape(outChannels) : null, outChannels);
    }

    private static ParameterProblem WeightsProblem(ShapeLayer layer, SpatialLayout input, int d, bool transposed)
    {
        var op = transposed ? "conv-transpose" : "conv";
        if (layer.KernelSize is not { } k)
            return new("kernelSize", $"kernelSize is required for a {op} layer: one integer ≥ 1 or {d} ({SpatialLayout.AxisLetters(d)})");
        if (k.ValuesFor(d).Any(v => v < 1))
            return new("kernelSize", $"kernelSize must be ≥ 1; got {k}");
        if (layer.Groups is < 1)
            return new("groups", $"groups must be ≥ 1; got {layer.Groups}");
        if (input.Form == SpatialForm.Single)
            return new("outChannels", $"a single {(d == 1 ? "line" : d == 2 ? "plane" : "volume")} {input.Shape} has one channel in and one out: send the input as [1, {string.Join(", ", input.Shape.Dims)}] ({SpatialLayout.Dimensions(SpatialForm.Unbatched, d)[1..^1]}) for {layer.OutChannels} output channels");
        if (layer.OutChannels is not { } outChannels)
            return new("outChannels", $"outChannels is required for a {op} layer over an input with channels ({input.Shape}: {input.Channels} channels)");
        if (outChannels < 1)
            return new("outChannels", $"outChannels must be ≥ 1; got {outChannels}");
        return new("outChannels", $"outChannels {outChannels} is not divisible by groups {layer.Groups}");
    }

    // A Domain parameter as the layer's field: the kernel is sized by kernelSize; the input is the stack's input.
    private static ParameterProblem Named(ParameterProblem problem, int layer) => problem.Parameter switch
    {
        "input" or "spatialDims" => problem,
        "kernel" => problem with { Parameter = $"layers[{layer}].kernelSize" },
        var field => problem with { Parameter = $"layers[{layer}].{field}" },
    };
}
