using System.Collections.Immutable;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Convolution;

/// <summary>
/// Everything a convolution needs to know about its arguments' shapes, resolved once: the input's layout and one
/// <see cref="WindowAxis"/> per spatial axis (<see cref="Windows"/>), channels, groups and the padding mode. An input of
/// rank d is one line, plane or volume (N = C = 1, kernel (k…)); rank d + 1 is unbatched (N = 1).
/// </summary>
public sealed record ConvGeometry
{
    public required SpatialWindows Windows { get; init; }

    public required TensorShape KernelShape { get; init; }

    /// <summary>The output shape, of the input's rank.</summary>
    public required TensorShape OutputShape { get; init; }

    public required int OutChannels { get; init; }

    public required int Groups { get; init; }

    public required PaddingMode PaddingMode { get; init; }

    public TensorShape InputShape => Windows.Input.Shape;

    public int SpatialDims => Windows.Dims;

    public int Batch => Windows.Input.Batch;

    public int InChannels => Windows.Input.Channels;

    /// <summary>One axis per spatial dimension, outermost first.</summary>
    public ImmutableArray<WindowAxis> Axes => Windows.Axes;

    public int InChannelsPerGroup => InChannels / Groups;

    public int OutChannelsPerGroup => OutChannels / Groups;

    /// <summary>The shape of the padded input, (N, C, padded sizes…).</summary>
    public TensorShape PaddedShape => Windows.PaddedShape;

    /// <summary>Multiply-adds the forward pass performs, <c>N·Cout·Π O·C/groups·Π K</c> (each gradient as many); long.MaxValue when larger.</summary>
    public long MultiplyAdds
    {
        get
        {
            Int128 count = (Int128)Batch * OutChannels * InChannelsPerGroup;
            foreach (var axis in Axes)
                count *= (long)axis.Output * axis.Kernel;
            return count > long.MaxValue ? long.MaxValue : (long)count;
        }
    }

    /// <summary>Resolves the geometry of a convolution with <see cref="ConvOptions.SpatialDims"/> spatial axes.</summary>
    /// <exception cref="ArgumentException">The arguments break a rule of <see cref="ConvRules.Check"/>; the message says which and gives the numbers.</exception>
    public static ConvGeometry Create(TensorShape input, TensorShape kernel, TensorShape? bias, ConvOptions options)
    {
        var problems = ConvRules.Check(input, kernel, bias, options);
        if (problems.Count > 0)
            problems[0].Throw();
        return Resolve(input, kernel, options);
    }

    /// <summary>The geometry, or null with every rule of <see cref="ConvRules.Check"/> the arguments break (the API reports them all).</summary>
    public static ConvGeometry? TryCreate(TensorShape input, TensorShape kernel, TensorShape? bias, ConvOptions options, out IReadOnlyList<ParameterProblem> problems)
    {
        problems = ConvRules.Check(input, kernel, bias, options);
        return problems.Count > 0 ? null : Resolve(input, kernel, options);
    }

    /// <summary>The geometry of arguments that keep every rule.</summary>
    internal static ConvGeometry Resolve(TensorShape input, TensorShape kernel, ConvOptions options)
    {
        var layout = SpatialLayout.Of(input, options.SpatialDims);
        var d = options.SpatialDims;
        var axes = ImmutableArray.CreateBuilder<WindowAxis>(d);
        for (var axis = 0; axis < d; axis++)
        {
            var k = kernel[kernel.Rank - d + axis];
            var (begin, end) = options.Padding.Resolve(axis, layout.Size(axis), k, options.Stride[axis], options.Dilation[axis]);
            axes.Add(WindowAxis.Create(layout.Size(axis), k, options.Stride[axis], options.Dilation[axis], (int)begin, (int)end));
        }
        return Of(layout, kernel, axes.MoveToImmutable(), options.Groups, options.PaddingMode);
    }

    /// <summary>A geometry from axes resolved elsewhere (transposed convolution's equivalent forward convolution).</summary>
    internal static ConvGeometry Of(SpatialLayout input, TensorShape kernel, ImmutableArray<WindowAxis> axes, int groups, PaddingMode paddingMode)
    {
        var windows = new SpatialWindows(input, axes);
        var outChannels = input.Form == SpatialForm.Single ? 1 : kernel[0];
        return new ConvGeometry
        {
            Windows = windows,
            KernelShape = kernel,
            OutputShape = windows.OutputShape(outChannels),
            OutChannels = outChannels,
            Groups = groups,
            PaddingMode = paddingMode,
        };
    }
}
