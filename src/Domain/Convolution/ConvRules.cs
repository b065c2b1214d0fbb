using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Convolution;

/// <summary>
/// The rules a 2-D convolution's arguments must keep, in one place: the Domain's guards throw the first problem,
/// the API's validators report them all, so a request that passes validation cannot throw inside an operator.
/// </summary>
public static partial class ConvRules
{
    private const int SpatialRank = 2;

    /// <summary>Every rule the arguments break, each naming its parameter (input, kernel, bias, stride, padding, dilation, groups, paddingMode).</summary>
    public static IReadOnlyList<ParameterProblem> Check(TensorShape input, TensorShape kernel, TensorShape? bias, ConvOptions options)
    {
        var problems = new List<ParameterProblem>();
        CheckOptions(options, problems);
        CheckShapes(input, kernel, problems);
        if (problems.Count > 0)
            return problems;

        var inChannels = input.Rank == 2 ? 1 : input[input.Rank - 3];
        var outChannels = kernel.Rank == 2 ? 1 : kernel[0];
        CheckChannels(inChannels, outChannels, kernel, options.Groups, problems);
        CheckBias(bias, outChannels, problems);
        CheckPadding(input, kernel, options, problems);
        if (problems.Count == 0)
            CheckWindowFits(input, kernel, options, problems);
        return problems;
    }

    private static void CheckOptions(ConvOptions options, List<ParameterProblem> problems)
    {
        CheckPositive("stride", options.Stride, problems);
        CheckPositive("dilation", options.Dilation, problems);
        if (options.Padding.Kind == ConvPaddingKind.Explicit)
        {
            var amounts = options.Padding.Amounts;
            if (amounts.Rank != SpatialRank)
                problems.Add(new("padding", $"padding needs {SpatialRank} values (height, width); got {amounts.Rank}"));
            else if (amounts.Values.Any(p => p < 0))
                problems.Add(new("padding", $"padding must be ≥ 0; got {amounts}"));
        }
        if (options.Groups < 1)
            problems.Add(new("groups", $"groups must be ≥ 1; got {options.Groups}"));
        if (!Enum.IsDefined(options.PaddingMode))
            problems.Add(new("paddingMode", $"unknown padding mode {(int)options.PaddingMode}"));
        if (options.Padding.Kind == ConvPaddingKind.Same && options.Stride.Rank == SpatialRank && options.Stride.Values.Any(s => s != 1))
            problems.Add(new("padding", $"padding \"same\" needs stride 1; got stride {options.Stride}"));
    }

    private static void CheckPositive(string parameter, Spatial values, List<ParameterProblem> problems)
    {
        if (values.Rank != SpatialRank)
            problems.Add(new(parameter, $"{parameter} needs {SpatialRank} values (height, width); got {values.Rank}"));
        else if (values.Values.Any(v => v < 1))
            problems.Add(new(parameter, $"{parameter} must be ≥ 1; got {values}"));
    }

    private static void CheckShapes(TensorShape input, TensorShape kernel, List<ParameterProblem> problems)
    {
        if (input.Rank is < 2 or > 4)
        {
            problems.Add(new("input", $"input must have rank 2 (H, W), 3 (C, H, W) or 4 (N, C, H, W); got rank {input.Rank} ({input})"));
            return;
        }
        if (input.Dims.Contains(0))
            problems.Add(new("input", $"input has an empty dimension: {input}"));
        var kernelRank = input.Rank == 2 ? 2 : 4;
        if (kernel.Rank != kernelRank)
        {
            var layout = kernelRank == 2 ? "(kH, kW)" : "(Cout, C/groups, kH, kW)";
            problems.Add(new("kernel", $"kernel must have rank {kernelRank} {layout} for a rank-{input.Rank} input; got rank {kernel.Rank} ({kernel})"));
        }
        else if (kernel.Dims.Contains(0))
            problems.Add(new("kernel", $"kernel has an empty dimension: {kernel}"));
    }

    private static void CheckChannels(int inChannels, int outChannels, TensorShape kernel, int groups, List<ParameterProblem> problems)
    {
        if (inChannels % groups != 0)
            problems.Add(new("groups", $"groups {groups} does not divide the {inChannels} input channels"));
        if (outChannels % groups != 0)
            problems.Add(new("groups", $"groups {groups} does not divide the {outChannels} output channels (kernel dimension 0)"));
        if (kernel.Rank == 4 && inChannels % groups == 0 && kernel[1] != inChannels / groups)
            problems.Add(new("kernel", $"kernel has {kernel[1]} input channels per group, but the input has {inChannels} channels / {groups} groups = {inChannels / groups}"));
    }

    private static void CheckBias(TensorShape? bias, int outChannels, List<ParameterProblem> problems)
    {
        if (bias is { } b && (b.Rank != 1 || b[0] != outChannels))
            problems.Add(new("bias", $"bias must be a rank-1 tensor of {outChannels} values (one per output channel); got shape {b}"));
    }

    private static void CheckPadding(TensorShape input, TensorShape kernel, ConvOptions options, List<ParameterProblem> problems)
    {
        for (var axis = 0; axis < SpatialRank; axis++)
        {
            var size = input[input.Rank - SpatialRank + axis];
            var (begin, end) = options.Padding.Resolve(axis, kernel[kernel.Rank - SpatialRank + axis], options.Dilation[axis]);
            var pad = Math.Max(begin, end);
            var name = AxisName(axis);
            if (options.PaddingMode == PaddingMode.Reflect && pad >= size)
                problems.Add(new("padding", $"reflect padding {pad} must be smaller than the input {name} {size}"));
            else if (options.PaddingMode == PaddingMode.Circular && pad > size)
                problems.Add(new("padding", $"circular padding {pad} must be at most the input {name} {size}"));
        }
    }

    private static void CheckWindowFits(TensorShape input, TensorShape kernel, ConvOptions options, List<ParameterProblem> problems)
    {
        Span<long> dilated = stackalloc long[SpatialRank];
        Span<long> padded = stackalloc long[SpatialRank];
        var fits = true;
        for (var axis = 0; axis < SpatialRank; axis++)
        {
            var k = kernel[kernel.Rank - SpatialRank + axis];
            var (begin, end) = options.Padding.Resolve(axis, k, options.Dilation[axis]);
            dilated[axis] = (long)options.Dilation[axis] * (k - 1) + 1;
            padded[axis] = (long)input[input.Rank - SpatialRank + axis] + begin + end;
            fits &= dilated[axis] <= padded[axis];
        }
        if (fits)
            return;
        var kernelSize = $"{kernel[kernel.Rank - 2]}×{kernel[kernel.Rank - 1]}";
        var dilatedSize = $"{dilated[0]}×{dilated[1]}";
        var reach = dilatedSize == kernelSize ? $"kernel {kernelSize}" : $"kernel {kernelSize} dilated to {dilatedSize}";
        problems.Add(new("kernel", $"{reach} is larger than the padded input {padded[0]}×{padded[1]}"));
    }

    private static string AxisName(int axis) => axis == 0 ? "height" : "width";
}
