using System.Collections.Immutable;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Convolution;

/// <summary>
/// Everything a convolution needs to know about its arguments' shapes, resolved once: channels, groups, and one
/// <see cref="WindowAxis"/> per spatial axis. Inputs of rank 2 (H, W) and 3 (C, H, W) are treated as N = 1 (and C = 1).
/// </summary>
public sealed record ConvGeometry
{
    public required TensorShape InputShape { get; init; }

    public required TensorShape KernelShape { get; init; }

    /// <summary>The output shape, of the input's rank.</summary>
    public required TensorShape OutputShape { get; init; }

    public required int Batch { get; init; }

    public required int InChannels { get; init; }

    public required int OutChannels { get; init; }

    public required int Groups { get; init; }

    public required PaddingMode PaddingMode { get; init; }

    /// <summary>One axis per spatial dimension, outermost first.</summary>
    public required ImmutableArray<WindowAxis> Axes { get; init; }

    public int InChannelsPerGroup => InChannels / Groups;

    public int OutChannelsPerGroup => OutChannels / Groups;

    /// <summary>The shape of the padded input, (N, C, Hp, Wp).</summary>
    public TensorShape PaddedShape => new(Batch, InChannels, (int)Axes[0].PaddedInput, (int)Axes[1].PaddedInput);

    /// <summary>Multiply-adds the forward pass performs (the backward pass does twice as many).</summary>
    public long MultiplyAdds => (long)Batch * OutChannels * Axes[0].Output * Axes[1].Output * InChannelsPerGroup * Axes[0].Kernel * Axes[1].Kernel;

    /// <summary>Resolves the geometry of a 2-D convolution.</summary>
    /// <exception cref="ArgumentException">The arguments break a rule of <see cref="ConvRules.Check"/>; the message says which and gives the numbers.</exception>
    public static ConvGeometry Create(TensorShape input, TensorShape kernel, TensorShape? bias, ConvOptions options)
    {
        var problems = ConvRules.Check(input, kernel, bias, options);
        if (problems.Count > 0)
            problems[0].Throw();
        return Resolve(input, kernel, options);
    }

    internal static ConvGeometry Resolve(TensorShape input, TensorShape kernel, ConvOptions options)
    {
        var rank = input.Rank;
        var batch = rank == 4 ? input[0] : 1;
        var inChannels = rank == 2 ? 1 : input[rank - 3];
        var outChannels = kernel.Rank == 2 ? 1 : kernel[0];
        var axes = ImmutableArray.CreateBuilder<WindowAxis>(2);
        for (var axis = 0; axis < 2; axis++)
        {
            var k = kernel[kernel.Rank - 2 + axis];
            var (begin, end) = options.Padding.Resolve(axis, k, options.Dilation[axis]);
            axes.Add(WindowAxis.Create(input[rank - 2 + axis], k, options.Stride[axis], options.Dilation[axis], begin, end));
        }
        int[] output = rank switch
        {
            2 => [axes[0].Output, axes[1].Output],
            3 => [outChannels, axes[0].Output, axes[1].Output],
            _ => [batch, outChannels, axes[0].Output, axes[1].Output],
        };
        return new ConvGeometry
        {
            InputShape = input,
            KernelShape = kernel,
            OutputShape = new TensorShape(output),
            Batch = batch,
            InChannels = inChannels,
            OutChannels = outChannels,
            Groups = options.Groups,
            PaddingMode = options.PaddingMode,
            Axes = axes.MoveToImmutable(),
        };
    }
}
