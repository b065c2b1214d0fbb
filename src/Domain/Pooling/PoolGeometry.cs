using System.Collections.Immutable;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Pooling;

/// <summary>
/// A pooling call's arguments resolved once: the planes (N·C; an (H, W) input is one plane), the output shape (of the
/// input's rank) and one <see cref="WindowAxis"/> per spatial axis. Adaptive axes have Kernel 0; fractional-max axes
/// carry the kernel and the output size.
/// </summary>
public sealed record PoolGeometry
{
    public required PoolMode Mode { get; init; }

    public required TensorShape InputShape { get; init; }

    public required TensorShape OutputShape { get; init; }

    /// <summary>The number of (H, W) planes: N·C.</summary>
    public required int Planes { get; init; }

    /// <summary>Height then width.</summary>
    public required ImmutableArray<WindowAxis> Axes { get; init; }

    /// <summary>avg: padding cells count in the divisor.</summary>
    public bool CountIncludePad { get; init; } = true;

    /// <summary>avg: the divisor of every window instead of its size.</summary>
    public int? DivisorOverride { get; init; }

    /// <summary>lp: the norm's p.</summary>
    public double NormType { get; init; }

    /// <summary>The shape of fractional-max samples: (N, C, 2), (C, 2), or (1, 2) for an (H, W) input.</summary>
    public TensorShape SamplesShape => SamplesShapeOf(InputShape);

    public int InputPlaneLength => Axes[0].Input * Axes[1].Input;

    public int OutputPlaneLength => Axes[0].Output * Axes[1].Output;

    /// <summary>Resolves the geometry of a pooling call.</summary>
    /// <exception cref="ArgumentException">The arguments break a rule of <see cref="PoolRules.Check"/>; the message says which and gives the numbers.</exception>
    public static PoolGeometry Create(PoolMode mode, TensorShape input, PoolOptions options, TensorShape? randomSamples = null)
    {
        var problems = PoolRules.Check(mode, input, options, randomSamples);
        if (problems.Count > 0)
            problems[0].Throw();
        var axes = mode switch
        {
            _ when mode.IsSliding() => SlidingAxes(input, options),
            PoolMode.FractionalMax => FixedAxes(input, FractionalOutput(input, options), options.KernelSize!.Value),
            _ => FixedAxes(input, AdaptiveOutput(input, options.OutputSize!.Value), Spatial.Repeat(0, 2)),
        };
        var rank = input.Rank;
        var dims = input.Dims.ToArray();
        (dims[rank - 2], dims[rank - 1]) = (axes[0].Output, axes[1].Output);
        return new PoolGeometry
        {
            Mode = mode,
            InputShape = input,
            OutputShape = new TensorShape(dims),
            Planes = (int)TensorShape.CheckedProduct(input.Dims.AsSpan(0, rank - 2))!.Value,
            Axes = axes,
            CountIncludePad = options.CountIncludePad ?? true,
            DivisorOverride = options.DivisorOverride,
            NormType = options.NormType ?? 0,
        };
    }

    /// <summary>Throws unless the spans hold one input and one output (or gradient) of this geometry.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A length differs.</exception>
    internal void CheckLengths(int input, int output, string inputName = "input", string outputName = "output")
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(input, Planes * InputPlaneLength, inputName);
        ArgumentOutOfRangeException.ThrowIfNotEqual(output, Planes * OutputPlaneLength, outputName);
    }

    internal static ImmutableArray<WindowAxis> SlidingAxes(TensorShape input, PoolOptions o)
    {
        var kernel = o.KernelSize!.Value;
        var stride = o.Stride ?? kernel;
        var padding = o.Padding ?? Spatial.Repeat(0, 2);
        var dilation = o.Dilation ?? Spatial.Repeat(1, 2);
        return
        [
            WindowAxis.Create(input[input.Rank - 2], kernel[0], stride[0], dilation[0], padding[0], padding[0], o.CeilMode ?? false),
            WindowAxis.Create(input[input.Rank - 1], kernel[1], stride[1], dilation[1], padding[1], padding[1], o.CeilMode ?? false),
        ];
    }

    /// <summary>outputSize, or floor(input · outputRatio) as PyTorch's <c>int(input_size * ratio)</c>.</summary>
    internal static Spatial FractionalOutput(TensorShape input, PoolOptions o) => o.OutputRatio is { } ratio
        ? new Spatial((int)(input[input.Rank - 2] * ratio.Height), (int)(input[input.Rank - 1] * ratio.Width))
        : new Spatial(o.OutputSize!.Value.Height!.Value, o.OutputSize.Value.Width!.Value);

    internal static Spatial AdaptiveOutput(TensorShape input, PoolOutputSize size) =>
        new(size.Height ?? input[input.Rank - 2], size.Width ?? input[input.Rank - 1]);

    internal static TensorShape SamplesShapeOf(TensorShape input) => input.Rank switch
    {
        4 => new TensorShape(input[0], input[1], 2),
        3 => new TensorShape(input[0], 2),
        _ => new TensorShape(1, 2),
    };

    private static ImmutableArray<WindowAxis> FixedAxes(TensorShape input, Spatial output, Spatial kernel) =>
    [
        new WindowAxis(input[input.Rank - 2], kernel[0], 0, 1, 0, 0, output[0]),
        new WindowAxis(input[input.Rank - 1], kernel[1], 0, 1, 0, 0, output[1]),
    ];
}
