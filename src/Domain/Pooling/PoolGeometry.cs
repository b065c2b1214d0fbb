using System.Collections.Immutable;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Pooling;

/// <summary>
/// A pooling call's arguments resolved once: the planes (the input's leading N·C; a lone plane, line or volume is one),
/// the output shape (of the input's rank) and one <see cref="WindowAxis"/> per spatial axis, outermost first. Adaptive
/// axes have Kernel 0; fractional-max axes carry the kernel and the output size.
/// </summary>
public sealed record PoolGeometry
{
    public required PoolMode Mode { get; init; }

    public required TensorShape InputShape { get; init; }

    public required TensorShape OutputShape { get; init; }

    /// <summary>The number of spatial axes d (1, 2 or 3).</summary>
    public int SpatialDims => Axes.Length;

    /// <summary>The number of planes (volumes, lines): the product of the input's dimensions before its last d.</summary>
    public required int Planes { get; init; }

    /// <summary>One per spatial axis, outermost first ([depth, height, width] in 3-D).</summary>
    public required ImmutableArray<WindowAxis> Axes { get; init; }

    /// <summary>avg: padding cells count in the divisor.</summary>
    public bool CountIncludePad { get; init; } = true;

    /// <summary>avg: the divisor of every window instead of its size.</summary>
    public int? DivisorOverride { get; init; }

    /// <summary>lp: the norm's p.</summary>
    public double NormType { get; init; }

    /// <summary>The elements of one input plane: the product of the spatial input sizes.</summary>
    public required int InputPlaneLength { get; init; }

    /// <summary>The elements of one output plane: the product of the spatial output sizes.</summary>
    public required int OutputPlaneLength { get; init; }

    /// <summary>
    /// The work of the call, for budgets: how many input elements its windows read together, at most (per axis the
    /// windows times the taps a window holds inside the input; adaptive axes exactly I + O − gcd(I, O)), times the
    /// planes. Saturates at <see cref="long.MaxValue"/>.
    /// </summary>
    public required long WindowReads { get; init; }

    /// <summary>The shape of fractional-max samples: (N, C, d), (C, d), or (1, d) for a lone plane or volume.</summary>
    public TensorShape SamplesShape => SamplesShapeOf(InputShape, SpatialDims);

    /// <summary>lp: the product of the kernel sizes, by which PyTorch scales the mean of x^p.</summary>
    public long KernelVolume => Axes.Aggregate(1L, (volume, axis) => volume * axis.Kernel);

    /// <summary>Resolves the geometry of a pooling call.</summary>
    /// <exception cref="ArgumentException">The arguments break a rule of <see cref="PoolRules.Check"/>; the message says which and gives the numbers.</exception>
    public static PoolGeometry Create(PoolMode mode, TensorShape input, PoolOptions options, TensorShape? randomSamples = null)
    {
        var problems = PoolRules.Check(mode, input, options, randomSamples);
        if (problems.Count > 0)
            problems[0].Throw();
        var axes = ResolveAxes(mode, input, options);
        var lead = input.Rank - axes.Length;
        var dims = input.Dims.ToArray();
        for (var axis = 0; axis < axes.Length; axis++)
            dims[lead + axis] = axes[axis].Output;
        var planes = (int)TensorShape.CheckedProduct(input.Dims.AsSpan(0, lead))!.Value;
        return new PoolGeometry
        {
            Mode = mode,
            InputShape = input,
            OutputShape = new TensorShape(dims),
            Planes = planes,
            Axes = axes,
            CountIncludePad = options.CountIncludePad ?? true,
            DivisorOverride = options.DivisorOverride,
            NormType = options.NormType ?? 0,
            InputPlaneLength = (int)TensorShape.CheckedProduct(input.Dims.AsSpan()[lead..])!.Value,
            OutputPlaneLength = (int)TensorShape.CheckedProduct(dims.AsSpan(lead))!.Value,
            WindowReads = Reads(mode, planes, axes),
        };
    }

    /// <summary>Throws unless the spans hold one input and one output (or gradient) of this geometry.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A length differs.</exception>
    internal void CheckLengths(int input, int output, string inputName = "input", string outputName = "output")
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(input, Planes * InputPlaneLength, inputName);
        ArgumentOutOfRangeException.ThrowIfNotEqual(output, Planes * OutputPlaneLength, outputName);
    }

    /// <summary>The axes of a call whose options keep the rules.</summary>
    internal static ImmutableArray<WindowAxis> ResolveAxes(PoolMode mode, TensorShape input, PoolOptions o)
    {
        var dims = o.Dims;
        var axes = ImmutableArray.CreateBuilder<WindowAxis>(dims);
        for (var axis = 0; axis < dims; axis++)
        {
            var size = input[input.Rank - dims + axis];
            axes.Add(mode.Windowing() switch
            {
                PoolWindowing.Sliding => SlidingAxis(size, o, axis),
                PoolWindowing.Fractional => new WindowAxis(size, o.KernelSize!.Value.At(axis), 0, 1, 0, 0, FractionalOutput(size, o, axis)),
                _ => new WindowAxis(size, 0, 0, 1, 0, 0, o.OutputSize!.Value.At(axis) ?? size),
            });
        }
        return axes.MoveToImmutable();
    }

    internal static WindowAxis SlidingAxis(int size, PoolOptions o, int axis)
    {
        var kernel = o.KernelSize!.Value.At(axis);
        var padding = o.Padding.At(axis, 0);
        return WindowAxis.Create(size, kernel, o.Stride.At(axis, kernel), o.Dilation.At(axis, 1), padding, padding, o.CeilMode ?? false);
    }

    /// <summary>outputSize, or floor(input · outputRatio) as PyTorch's <c>int(input_size * ratio)</c>.</summary>
    internal static int FractionalOutput(int size, PoolOptions o, int axis) =>
        o.OutputRatio is { } ratio ? (int)(size * ratio.At(axis)) : o.OutputSize!.Value.At(axis)!.Value;

    internal static TensorShape SamplesShapeOf(TensorShape input, int dims) => (input.Rank - dims) switch
    {
        2 => new TensorShape(input[0], input[1], dims),
        1 => new TensorShape(input[0], dims),
        _ => new TensorShape(1, dims),
    };

    private static long Reads(PoolMode mode, int planes, ImmutableArray<WindowAxis> axes)
    {
        Int128 reads = planes;
        foreach (var a in axes)
        {
            reads *= mode.Windowing() switch
            {
                PoolWindowing.Adaptive => (long)a.Input + a.Output - Gcd(a.Input, a.Output),
                PoolWindowing.Fractional => (long)a.Output * a.Kernel,
                _ => (long)a.Output * Math.Min(a.Kernel, (a.Input + a.Dilation - 1L) / a.Dilation),
            };
            reads = Int128.Min(reads, long.MaxValue);
        }
        return (long)reads;
    }

    private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);
}
