using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Convolution;

/// <summary>
/// The rules a convolution's arguments must keep, in one place: the Domain's guards throw the first problem, the API
/// reports them all, so a request that passes cannot throw inside an operator. Messages name the parameter and the numbers.
/// </summary>
public static partial class ConvRules
{
    private const string Operation = "convolution";

    /// <summary>Every rule the arguments break, each naming its parameter (spatialDims, input, kernel, bias, stride, padding, dilation, groups, paddingMode).</summary>
    public static IReadOnlyList<ParameterProblem> Check(TensorShape input, TensorShape kernel, TensorShape? bias, ConvOptions options)
    {
        var problems = new List<ParameterProblem>();
        var d = options.SpatialDims;
        if (!CheckSpatialDims(d, problems))
            return problems;
        CheckPositive("stride", options.Stride, d, problems);
        CheckPositive("dilation", options.Dilation, d, problems);
        CheckPaddingAmounts(options.Padding, d, problems);
        CheckGroups(options.Groups, problems);
        if (!Enum.IsDefined(options.PaddingMode))
            problems.Add(new("paddingMode", $"unknown padding mode {(int)options.PaddingMode}"));
        if (options.Padding.Kind == ConvPaddingKind.Same && options.Stride.Rank == d && options.Stride.Values.Any(s => s != 1))
            problems.Add(new("padding", $"padding \"same\" needs stride 1, as in PyTorch; got stride {options.Stride}: for SAME padding at any stride send \"same-upper\" or \"same-lower\""));
        CheckShapes(input, kernel, d, Operation, problems);
        if (problems.Count > 0)
            return problems;

        var layout = SpatialLayout.Of(input, d);
        var outChannels = layout.Form == SpatialForm.Single ? 1 : kernel[0];
        CheckGroupsDivide(layout.Channels, "input channels", outChannels, "output channels (kernel dimension 0)", options.Groups, problems);
        if (layout.Form != SpatialForm.Single && layout.Channels % options.Groups == 0 && kernel[1] != layout.Channels / options.Groups)
            problems.Add(new("kernel", $"kernel has {kernel[1]} input channels per group, but the input has {layout.Channels} channels / {options.Groups} groups = {layout.Channels / options.Groups}"));
        CheckBias(bias, outChannels, problems);
        CheckPadding(layout, kernel, options, problems);
        if (problems.Count == 0)
            CheckWindowFits(layout, kernel, options, problems);
        return problems;
    }

    private static bool CheckSpatialDims(int d, List<ParameterProblem> problems)
    {
        if (d is >= 1 and <= SpatialLayout.MaxSpatialDims)
            return true;
        problems.Add(new("spatialDims", $"spatialDims must be 1 (L), 2 (H, W) or 3 (D, H, W); got {d}"));
        return false;
    }

    private static void CheckPositive(string parameter, Spatial values, int d, List<ParameterProblem> problems)
    {
        if (SpatialLayout.ListProblem(parameter, values.Rank, d) is { } length)
            problems.Add(length);
        else if (values.Values.Any(v => v < 1))
            problems.Add(new(parameter, $"{parameter} must be ≥ 1; got {values}"));
    }

    private static void CheckNonNegative(string parameter, Spatial values, int d, List<ParameterProblem> problems)
    {
        if (SpatialLayout.ListProblem(parameter, values.Rank, d) is { } length)
            problems.Add(length);
        else if (values.Values.Any(v => v < 0))
            problems.Add(new(parameter, $"{parameter} must be ≥ 0; got {values}"));
    }

    private static void CheckPaddingAmounts(ConvPadding padding, int d, List<ParameterProblem> problems)
    {
        if (padding.Kind != ConvPaddingKind.Explicit)
            return;
        if (SpatialLayout.ListProblem("padding", padding.Begin.Rank, d) is { } length)
            problems.Add(length);
        else if (padding.End.Rank != d)
            problems.Add(new("padding", $"padding has {padding.Begin.Rank} begin amounts but {padding.End.Rank} end amounts"));
        else if (padding.Begin.Values.Any(p => p < 0) || padding.End.Values.Any(p => p < 0))
            problems.Add(new("padding", $"padding must be ≥ 0; got {padding}"));
    }

    private static void CheckGroups(int groups, List<ParameterProblem> problems)
    {
        if (groups < 1)
            problems.Add(new("groups", $"groups must be ≥ 1; got {groups}"));
    }

    /// <summary>
    /// The input's rank fits d (d, d + 1 or d + 2) and the kernel's fits the input: (k…) for a single line, plane or volume,
    /// else (Cout, C/groups, k…). When another spatialDims would fit both, the message says so.
    /// </summary>
    private static void CheckShapes(TensorShape input, TensorShape kernel, int d, string operation, List<ParameterProblem> problems)
    {
        if (!SpatialLayout.Fits(input.Rank, d))
        {
            problems.Add(new("input", $"input must have {SpatialLayout.Ranks(d)} for spatialDims {d}; got rank {input.Rank} ({input}){Hint(input, kernel, d, operation)}"));
            return;
        }
        if (input.Dims.Contains(0))
            problems.Add(new("input", $"input has an empty dimension: {input}"));
        var expected = KernelRank(input.Rank, d);
        if (kernel.Rank != expected)
        {
            var needs = $"kernel must have rank {expected} {KernelDimensions(input.Rank == d, d, operation)} for a rank-{input.Rank} input with spatialDims {d}; got rank {kernel.Rank} ({kernel})";
            var hint = Hint(input, kernel, d, operation);
            problems.Add(new("kernel", hint.Length == 0 ? needs : $"input has rank {input.Rank} and kernel rank {kernel.Rank}{hint} ({needs})"));
        }
        else if (kernel.Dims.Contains(0))
            problems.Add(new("kernel", $"kernel has an empty dimension: {kernel}"));
    }

    private static int KernelRank(int inputRank, int d) => inputRank == d ? d : d + 2;

    /// <summary>The other spatialDims that both shapes would fit, if any, for a refusal (made only when there is one).</summary>
    private static string Hint(TensorShape input, TensorShape kernel, int d, string operation) =>
        SpatialLayout.Hint(input.Rank, d, operation, other => kernel.Rank == KernelRank(input.Rank, other));

    private static string KernelDimensions(bool single, int d, string operation)
    {
        var taps = d switch { 1 => "kL", 2 => "kH, kW", _ => "kD, kH, kW" };
        return single ? $"({taps})" : operation == Operation ? $"(Cout, C/groups, {taps})" : $"(C, Cout/groups, {taps})";
    }

    private static void CheckGroupsDivide(int inChannels, string inName, int outChannels, string outName, int groups, List<ParameterProblem> problems)
    {
        if (inChannels % groups != 0)
            problems.Add(new("groups", $"groups {groups} does not divide the {inChannels} {inName}"));
        if (outChannels % groups != 0)
            problems.Add(new("groups", $"groups {groups} does not divide the {outChannels} {outName}"));
    }

    private static void CheckBias(TensorShape? bias, int outChannels, List<ParameterProblem> problems)
    {
        if (bias is { } b && (b.Rank != 1 || b[0] != outChannels))
            problems.Add(new("bias", $"bias must be a rank-1 tensor of {outChannels} values (one per output channel); got shape {b}"));
    }

    private static void CheckPadding(SpatialLayout input, TensorShape kernel, ConvOptions options, List<ParameterProblem> problems)
    {
        var d = options.SpatialDims;
        Span<long> padded = stackalloc long[d];
        var longest = 0L;
        for (var axis = 0; axis < d; axis++)
        {
            var size = input.Size(axis);
            var (begin, end) = Resolve(input, kernel, options, axis);
            var pad = Math.Max(begin, end);
            var name = SpatialLayout.AxisName(axis, d);
            padded[axis] = size + begin + end;
            longest = Math.Max(longest, padded[axis]);
            if (options.PaddingMode == PaddingMode.Reflect && pad >= size)
                problems.Add(new("padding", $"reflect padding {pad} must be smaller than the input {name} {size}"));
            else if (options.PaddingMode == PaddingMode.Circular && pad > size)
                problems.Add(new("padding", $"circular padding {pad} must be at most the input {name} {size}"));
        }
        if (longest > int.MaxValue)
            problems.Add(new("padding", $"padding {options.Padding} makes the padded input {input.Planes}×{string.Join('×', padded.ToArray())}, an axis longer than {int.MaxValue}"));
    }

    private static void CheckWindowFits(SpatialLayout input, TensorShape kernel, ConvOptions options, List<ParameterProblem> problems)
    {
        var d = options.SpatialDims;
        Span<long> sizes = stackalloc long[d], dilated = stackalloc long[d], padded = stackalloc long[d];
        var fits = true;
        for (var axis = 0; axis < d; axis++)
        {
            sizes[axis] = kernel[kernel.Rank - d + axis];
            var (begin, end) = Resolve(input, kernel, options, axis);
            dilated[axis] = options.Dilation[axis] * (sizes[axis] - 1) + 1;
            padded[axis] = input.Size(axis) + begin + end;
            fits &= dilated[axis] <= padded[axis];
        }
        if (fits)
            return;
        var (kernelSize, dilatedSize) = (string.Join('×', sizes.ToArray()), string.Join('×', dilated.ToArray()));
        var reach = dilatedSize == kernelSize ? $"kernel {kernelSize}" : $"kernel {kernelSize} dilated to {dilatedSize}";
        problems.Add(new("kernel", $"{reach} is larger than the padded input {string.Join('×', padded.ToArray())}"));
    }

    private static (long Begin, long End) Resolve(SpatialLayout input, TensorShape kernel, ConvOptions options, int axis) =>
        options.Padding.Resolve(axis, input.Size(axis), kernel[kernel.Rank - options.SpatialDims + axis], options.Stride[axis], options.Dilation[axis]);
}
