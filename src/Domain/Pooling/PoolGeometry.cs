using System.Collections.Immutable;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Pooling;

/// <summary>
/// A pooling call's arguments resolved once: the spatial part every windowed operator shares (<see cref="Windows"/>:
/// the input's layout for spatialDims d and one <see cref="WindowAxis"/> per spatial axis, outermost first), the output
/// shape (the input's form, channels kept) and the reduction's parameters. Adaptive axes have Kernel 0; fractional-max
/// axes carry the kernel and the output size.
/// </summary>
public sealed record PoolGeometry
{
    public required PoolMode Mode { get; init; }

    /// <summary>The input's layout (batch, channels, spatial sizes) and the windows of each spatial axis.</summary>
    public required SpatialWindows Windows { get; init; }

    public TensorShape InputShape => Windows.Input.Shape;

    public required TensorShape OutputShape { get; init; }

    /// <summary>The number of spatial axes d (1, 2 or 3).</summary>
    public int SpatialDims => Windows.Dims;

    /// <summary>
    /// The planes (lines, volumes) this geometry runs over: the input's N·C, or a run of them when a call is split
    /// between cores.
    /// </summary>
    public required int Planes { get; init; }

    /// <summary>One per spatial axis, outermost first ([depth, height, width] in 3-D).</summary>
    public ImmutableArray<WindowAxis> Axes => Windows.Axes;

    /// <summary>avg: padding cells count in the divisor.</summary>
    public bool CountIncludePad { get; init; } = true;

    /// <summary>avg: the divisor of every window instead of its size.</summary>
    public int? DivisorOverride { get; init; }

    /// <summary>lp: the norm's p.</summary>
    public double NormType { get; init; }

    /// <summary>The elements of one input plane: the product of the spatial input sizes.</summary>
    public int InputPlaneLength => Windows.InputPlaneLength;

    /// <summary>The elements of one output plane: the product of the spatial output sizes.</summary>
    public int OutputPlaneLength => Windows.OutputPlaneLength;

    /// <summary>
    /// The work of the call, for budgets: how many input elements its windows read together, at most (per axis the
    /// windows times the taps a window holds inside the input; adaptive axes exactly I + O − gcd(I, O)), times the
    /// planes. Saturates at <see cref="long.MaxValue"/>.
    /// </summary>
    public required long WindowReads { get; init; }

    /// <summary>The shape of fractional-max samples: (N, C, d), (C, d), or (1, d) for a lone plane or volume.</summary>
    public TensorShape SamplesShape => SamplesShapeOf(Windows.Input);

    /// <summary>lp: the product of the kernel sizes, by which PyTorch scales the mean of x^p.</summary>
    public long KernelVolume => Axes.Aggregate(1L, (volume, axis) => volume * axis.Kernel);

    /// <summary>Resolves the geometry of a pooling call.</summary>
    /// <exception cref="ArgumentException">The arguments break a rule of <see cref="PoolRules.Check"/>; the message says which and gives the numbers.</exception>
    public static PoolGeometry Create(PoolMode mode, TensorShape input, PoolOptions options, TensorShape? randomSamples = null)
    {
        var geometry = TryCreate(mode, input, options, randomSamples, out var problems);
        if (geometry is null)
            problems[0].Throw();
        return geometry;
    }

    /// <summary>The geometry of a pooling call, or null with every rule of <see cref="PoolRules.Check"/> the arguments break.</summary>
    public static PoolGeometry? TryCreate(PoolMode mode, TensorShape input, PoolOptions options, TensorShape? randomSamples, out IReadOnlyList<ParameterProblem> problems)
    {
        problems = PoolRules.Check(mode, input, options, randomSamples);
        return problems.Count > 0 ? null : Resolve(mode, input, options);
    }

    /// <summary>The geometry of arguments that keep every rule.</summary>
    internal static PoolGeometry Resolve(PoolMode mode, TensorShape input, PoolOptions options)
    {
        var layout = SpatialLayout.Of(input, options.Dims);
        var windows = new SpatialWindows(layout, ResolveAxes(mode, layout, options));
        return new PoolGeometry
        {
            Mode = mode,
            Windows = windows,
            OutputShape = windows.OutputShape(layout.Channels),
            Planes = layout.Planes,
            CountIncludePad = options.CountIncludePad ?? true,
            DivisorOverride = options.DivisorOverride,
            NormType = options.NormType ?? 0,
            WindowReads = Reads(mode, layout.Planes, windows.Axes),
        };
    }

    /// <summary>Throws unless the spans hold one input and one output (or gradient) of this geometry.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A length differs.</exception>
    internal void CheckLengths(int input, int output, string inputName = "input", string outputName = "output")
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(input, Planes * InputPlaneLength, inputName);
        ArgumentOutOfRangeException.ThrowIfNotEqual(output, Planes * OutputPlaneLength, outputName);
    }

    /// <summary>The axes of a call whose options keep the rules (each per-axis option holds d entries).</summary>
    internal static ImmutableArray<WindowAxis> ResolveAxes(PoolMode mode, SpatialLayout input, PoolOptions o)
    {
        var axes = ImmutableArray.CreateBuilder<WindowAxis>(input.SpatialDims);
        for (var axis = 0; axis < input.SpatialDims; axis++)
        {
            var size = input.Size(axis);
            axes.Add(mode.Windowing() switch
            {
                PoolWindowing.Sliding => SlidingAxis(size, o, axis),
                PoolWindowing.Fractional => new WindowAxis(size, o.KernelSize!.Value[axis], 0, 1, 0, 0, FractionalOutput(size, o, axis)),
                _ => new WindowAxis(size, 0, 0, 1, 0, 0, o.OutputSize!.Value.Sizes[axis] ?? size),
            });
        }
        return axes.MoveToImmutable();
    }

    internal static WindowAxis SlidingAxis(int size, PoolOptions o, int axis)
    {
        var kernel = o.KernelSize!.Value[axis];
        var padding = o.Padding?[axis] ?? 0;
        return WindowAxis.Create(size, kernel, o.Stride?[axis] ?? kernel, o.Dilation?[axis] ?? 1, padding, padding, o.CeilMode ?? false);
    }

    /// <summary>outputSize, or floor(input · outputRatio) as PyTorch's <c>int(input_size * ratio)</c>.</summary>
    internal static int FractionalOutput(int size, PoolOptions o, int axis) =>
        o.OutputRatio is { } ratio ? (int)(size * ratio.Ratios[axis]) : o.OutputSize!.Value.Sizes[axis]!.Value;

    /// <summary>(N, C, d) for a batched input, (C, d) unbatched, (1, d) for a lone line, plane or volume.</summary>
    internal static TensorShape SamplesShapeOf(SpatialLayout input) => input.Form switch
    {
        SpatialForm.Batched => new TensorShape(input.Batch, input.Channels, input.SpatialDims),
        SpatialForm.Unbatched => new TensorShape(input.Channels, input.SpatialDims),
        _ => new TensorShape(1, input.SpatialDims),
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
