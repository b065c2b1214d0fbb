using System.Collections.Immutable;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Convolution;

/// <summary>
/// A transposed convolution resolved as the input gradient it is: <see cref="Forward"/> is the convolution whose input
/// has this call's output shape and whose output has this call's input shape (its windows cover
/// <c>O + 2·padding − outputPadding</c> cells; output padding cells get only the bias). The kernel (C, Cout/groups, k…)
/// is that convolution's weight as it stands.
/// </summary>
public sealed record ConvTransposeGeometry
{
    /// <summary>The equivalent forward convolution (zero padding).</summary>
    public required ConvGeometry Forward { get; init; }

    /// <summary>Per axis, the output padding in force (given, or chosen by outputSize).</summary>
    public required Spatial OutputPadding { get; init; }

    /// <summary>The transposed convolution's input: the forward convolution's output.</summary>
    public TensorShape InputShape => Forward.OutputShape;

    /// <summary>The transposed convolution's output: the forward convolution's input.</summary>
    public TensorShape OutputShape => Forward.InputShape;

    public TensorShape KernelShape => Forward.KernelShape;

    /// <summary>Cout: the output's channels (the forward convolution's input channels).</summary>
    public int OutChannels => Forward.InChannels;

    /// <summary>Multiply-adds of the call, those of the forward convolution's input gradient.</summary>
    public long MultiplyAdds => Forward.MultiplyAdds;

    /// <summary>Resolves the geometry of a transposed convolution.</summary>
    /// <exception cref="ArgumentException">The arguments break a rule of <see cref="ConvRules.CheckTransposed"/>.</exception>
    public static ConvTransposeGeometry Create(TensorShape input, TensorShape kernel, TensorShape? bias, ConvTransposeOptions options)
    {
        var problems = ConvRules.CheckTransposed(input, kernel, bias, options);
        if (problems.Count > 0)
            problems[0].Throw();
        return Resolve(input, kernel, options);
    }

    /// <summary>The geometry, or null with every rule of <see cref="ConvRules.CheckTransposed"/> the arguments break.</summary>
    public static ConvTransposeGeometry? TryCreate(TensorShape input, TensorShape kernel, TensorShape? bias, ConvTransposeOptions options, out IReadOnlyList<ParameterProblem> problems)
    {
        problems = ConvRules.CheckTransposed(input, kernel, bias, options);
        return problems.Count > 0 ? null : Resolve(input, kernel, options);
    }

    /// <summary>The geometry of arguments that keep every rule.</summary>
    internal static ConvTransposeGeometry Resolve(TensorShape input, TensorShape kernel, ConvTransposeOptions options)
    {
        var d = options.SpatialDims;
        var layout = SpatialLayout.Of(input, d);
        var axes = ImmutableArray.CreateBuilder<WindowAxis>(d);
        var outputs = new int[d];
        var outputPadding = new int[d];
        for (var axis = 0; axis < d; axis++)
        {
            var k = kernel[kernel.Rank - d + axis];
            var (stride, padding, dilation) = (options.Stride[axis], options.Padding[axis], options.Dilation[axis]);
            outputPadding[axis] = (int)ConvRules.OutputPaddingOf(layout, kernel, options, axis);
            outputs[axis] = (int)(ConvRules.TransposedMinimum(layout.Size(axis), k, stride, padding, dilation) + outputPadding[axis]);
            axes.Add(new WindowAxis(outputs[axis], k, stride, dilation, padding, padding, layout.Size(axis)));
        }
        var outChannels = layout.Form == SpatialForm.Single ? 1 : options.Groups * kernel[1];
        var forwardInput = SpatialLayout.Of(layout.Reshaped(outChannels, outputs), d);
        return new ConvTransposeGeometry
        {
            Forward = ConvGeometry.Of(forwardInput, kernel, axes.MoveToImmutable(), options.Groups, PaddingMode.Zeros),
            OutputPadding = new Spatial(outputPadding),
        };
    }
}
