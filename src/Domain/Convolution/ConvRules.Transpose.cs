using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Convolution;

public static partial class ConvRules
{
    private const string Transposed = "transposed convolution";

    /// <summary>
    /// Every rule a transposed convolution's arguments break, as PyTorch's conv_transpose checks them: kernel (C, Cout/groups, k…),
    /// output padding smaller than the stride or the dilation of its axis, outputSize within [min, min + stride − 1] per axis
    /// and not together with outputPadding, and an output <c>O = (I − 1)·stride − 2·padding + dilation·(K − 1) + outputPadding + 1</c> of at least 1.
    /// </summary>
    public static IReadOnlyList<ParameterProblem> CheckTransposed(TensorShape input, TensorShape kernel, TensorShape? bias, ConvTransposeOptions options)
    {
        var problems = new List<ParameterProblem>();
        var d = options.SpatialDims;
        if (!CheckSpatialDims(d, problems))
            return problems;
        CheckPositive("stride", options.Stride, d, problems);
        CheckPositive("dilation", options.Dilation, d, problems);
        CheckNonNegative("padding", options.Padding, d, problems);
        if (options.OutputPadding is { } outputPadding)
            CheckNonNegative("outputPadding", outputPadding, d, problems);
        if (options.OutputSize is { } outputSize)
            CheckNonNegative("outputSize", outputSize, d, problems);
        if (options.OutputPadding is not null && options.OutputSize is not null)
            problems.Add(new("outputSize", "send outputSize or outputPadding, not both: outputSize chooses the output padding"));
        CheckGroups(options.Groups, problems);
        CheckShapes(input, kernel, d, Transposed, problems);
        if (problems.Count > 0)
            return problems;

        var layout = SpatialLayout.Of(input, d);
        var single = layout.Form == SpatialForm.Single;
        if (!single && kernel[0] != layout.Channels)
            problems.Add(new("kernel", $"kernel has {kernel[0]} input channels (dimension 0), but the input has {layout.Channels} channels"));
        if (layout.Channels % options.Groups != 0)
            problems.Add(new("groups", $"groups {options.Groups} does not divide the {layout.Channels} input channels"));
        CheckBias(bias, single ? 1 : options.Groups * kernel[1], problems);
        CheckOutputPadding(options, problems);
        if (problems.Count == 0)
            CheckOutputSizes(layout, kernel, options, problems);
        return problems;
    }

    /// <summary>The output size of each axis before any output padding: <c>(I − 1)·stride − 2·padding + dilation·(K − 1) + 1</c>.</summary>
    public static long TransposedMinimum(long input, long kernel, long stride, long padding, long dilation) =>
        (input - 1) * stride - 2 * padding + dilation * (kernel - 1) + 1;

    /// <summary>The output padding of <paramref name="axis"/>: given, chosen by outputSize (size − minimum), or 0.</summary>
    internal static long OutputPaddingOf(SpatialLayout input, TensorShape kernel, ConvTransposeOptions o, int axis) =>
        o.OutputSize is { } size ? size[axis] - MinimumOf(input, kernel, o, axis)
        : o.OutputPadding is { } padding ? padding[axis] : 0;

    private static long MinimumOf(SpatialLayout input, TensorShape kernel, ConvTransposeOptions o, int axis) =>
        TransposedMinimum(input.Size(axis), kernel[kernel.Rank - o.SpatialDims + axis], o.Stride[axis], o.Padding[axis], o.Dilation[axis]);

    private static void CheckOutputPadding(ConvTransposeOptions o, List<ParameterProblem> problems)
    {
        if (o.OutputPadding is not { } padding)
            return;
        for (var axis = 0; axis < o.SpatialDims; axis++)
        {
            if (padding[axis] >= o.Stride[axis] && padding[axis] >= o.Dilation[axis])
                problems.Add(new("outputPadding", $"outputPadding {padding[axis]} of the {SpatialLayout.AxisName(axis, o.SpatialDims)} must be smaller than its stride {o.Stride[axis]} or its dilation {o.Dilation[axis]}"));
        }
    }

    private static void CheckOutputSizes(SpatialLayout input, TensorShape kernel, ConvTransposeOptions o, List<ParameterProblem> problems)
    {
        var d = o.SpatialDims;
        for (var axis = 0; axis < d; axis++)
        {
            var name = SpatialLayout.AxisName(axis, d);
            var minimum = MinimumOf(input, kernel, o, axis);
            var formula = $"({input.Size(axis)} − 1)·{o.Stride[axis]} − 2·{o.Padding[axis]} + {o.Dilation[axis]}·({kernel[kernel.Rank - d + axis]} − 1) + 1 = {minimum}";
            if (o.OutputSize is { } size && (size[axis] < minimum || size[axis] > minimum + o.Stride[axis] - 1))
            {
                problems.Add(new("outputSize", $"outputSize {size[axis]} of the {name} is outside [{minimum}, {minimum + o.Stride[axis] - 1}]: the smallest output is {formula}, and output padding can add up to stride − 1 = {o.Stride[axis] - 1}"));
                continue;
            }
            var output = minimum + OutputPaddingOf(input, kernel, o, axis);
            if (output < 1)
                problems.Add(new("padding", $"the output {name} {formula}{(output == minimum ? "" : $" + output padding {output - minimum}")} is less than 1: padding {o.Padding[axis]} is too large"));
            else if (output + 2L * o.Padding[axis] > int.MaxValue)
                problems.Add(new("stride", $"the output {name} {output} (padded {output + 2L * o.Padding[axis]}) is more than {int.MaxValue}"));
        }
    }
}
