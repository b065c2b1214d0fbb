using System.Numerics;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Pooling;

/// <summary>
/// The rules a pooling call's arguments must keep, in one place: the Domain's guards throw the first problem, the
/// API's validators report them all, so a request that passes validation cannot throw inside an operator. They are
/// PyTorch's rules for each mode in each dimensionality it offers; budgets (how large a call may be) are the caller's.
/// </summary>
public static partial class PoolRules
{
    /// <summary>
    /// Every rule the arguments break, each naming its parameter: spatialDims, an option that does not apply to
    /// <paramref name="mode"/> in that dimensionality, the input's rank, a missing required option, a value out of
    /// range, a window that does not fit, and (fractional-max) <paramref name="randomSamples"/> of the wrong shape.
    /// </summary>
    public static IReadOnlyList<ParameterProblem> Check(PoolMode mode, TensorShape input, PoolOptions options, TensorShape? randomSamples = null)
    {
        var problems = new List<ParameterProblem>();
        if (!CheckSpatialDims(mode, options, problems))
            return problems;
        CheckApplicable(mode, options, randomSamples is not null, problems);
        CheckInput(input, options.Dims, problems);
        if (problems.Count > 0)
            return problems;
        switch (mode.Windowing())
        {
            case PoolWindowing.Sliding:
                CheckSliding(mode, input, options, problems);
                break;
            case PoolWindowing.Fractional:
                CheckFractional(input, options, randomSamples, problems);
                break;
            default:
                CheckAdaptive(input, options, problems);
                break;
        }
        if (problems.Count == 0)
            CheckOutputFits(mode, input, options, problems);
        return problems;
    }

    /// <summary>A gradient of the output's shape, or the problem with it.</summary>
    public static ParameterProblem? CheckGradOutput(TensorShape output, TensorShape gradOutput) =>
        output.Equals(gradOutput) ? null : new("gradOutput", $"gradOutput must have the output's shape {output}; got {gradOutput}");

    /// <summary>
    /// Fractional-max samples must lie in [0, 1) once rounded to <typeparamref name="T"/> (0.99999999 is 1 in float);
    /// the problem names the first that does not.
    /// </summary>
    public static ParameterProblem? CheckSampleValues<T>(ReadOnlySpan<double> samples) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < samples.Length; i++)
        {
            var sample = T.CreateTruncating(samples[i]);
            if (!(sample >= T.Zero && sample < T.One))
                return new("randomSamples", $"randomSamples must lie in [0, 1) in the request's dtype; element {i} is {samples[i]:R}");
        }
        return null;
    }

    /// <summary>The input ranks that mean a lone plane, an unbatched and a batched input for <paramref name="dims"/> spatial axes, as "2 (H, W), 3 (C, H, W) or 4 (N, C, H, W)".</summary>
    public static string RanksOf(int dims)
    {
        var spatial = dims switch { 1 => "L", 2 => "H, W", _ => "D, H, W" };
        return $"{dims} ({spatial}), {dims + 1} (C, {spatial}) or {dims + 2} (N, C, {spatial})";
    }

    private static bool CheckSpatialDims(PoolMode mode, PoolOptions o, List<ParameterProblem> problems)
    {
        if (o.Dims is < 1 or > 3)
            problems.Add(new("spatialDims", $"spatialDims must be 1, 2 or 3; got {o.Dims}"));
        else if (mode == PoolMode.FractionalMax && o.Dims == 1)
            problems.Add(new("spatialDims", "fractional-max pooling has no 1-D form (PyTorch offers fractional_max_pool2d and fractional_max_pool3d); send spatialDims 2 or 3"));
        return problems.Count == 0;
    }

    private static void CheckApplicable(PoolMode mode, PoolOptions o, bool hasSamples, List<ParameterProblem> problems)
    {
        var (sliding, fractional) = (mode.IsSliding(), mode == PoolMode.FractionalMax);
        NotApplicable("kernelSize", o.KernelSize is not null, sliding || fractional);
        NotApplicable("stride", o.Stride is not null, sliding);
        NotApplicable("padding", o.Padding is not null, mode is PoolMode.Max or PoolMode.Avg);
        NotApplicable("dilation", o.Dilation is not null, mode == PoolMode.Max);
        NotApplicable("ceilMode", o.CeilMode is not null, sliding);
        NotApplicable("countIncludePad", o.CountIncludePad is not null, mode == PoolMode.Avg);
        NotApplicable("normType", o.NormType is not null, mode == PoolMode.Lp);
        NotApplicable("outputSize", o.OutputSize is not null, mode.IsAdaptive() || fractional);
        NotApplicable("outputRatio", o.OutputRatio is not null, fractional);
        NotApplicable("randomSamples", hasSamples, fractional);
        NotApplicable("seed", o.Seed is not null, fractional);
        NotApplicable("returnIndices", o.ReturnIndices is not null, mode.IsMaxType());
        if (o.DivisorOverride is not null && mode != PoolMode.Avg)
            NotApplicable("divisorOverride", true, false);
        else if (o.DivisorOverride is not null && o.Dims == 1)
            problems.Add(new("divisorOverride", "divisorOverride does not apply to 1-D avg pooling (PyTorch's avg_pool1d has none); it applies with spatialDims 2 and 3"));

        void NotApplicable(string parameter, bool given, bool applies)
        {
            if (given && !applies)
                problems.Add(new(parameter, $"{parameter} does not apply to {mode.WireName()} pooling"));
        }
    }

    private static void CheckInput(TensorShape input, int dims, List<ParameterProblem> problems)
    {
        if (input.Rank < dims || input.Rank > dims + 2)
        {
            var fits = Enumerable.Range(1, 3).Where(d => d != dims && input.Rank >= d && input.Rank <= d + 2).ToArray();
            var hint = fits.Length == 0 ? "" : $"; a rank-{input.Rank} input fits spatialDims {string.Join(" or ", fits)}";
            problems.Add(new("input", $"input must have rank {RanksOf(dims)} for spatialDims {dims}; got rank {input.Rank} ({input}){hint}"));
        }
        else if (input.Dims.Contains(0))
        {
            problems.Add(new("input", $"input has an empty dimension: {input}"));
        }
    }

    /// <summary>One entry for every axis or one per axis, each at least <paramref name="least"/>; true when the list is usable.</summary>
    private static bool CheckPerAxis(string parameter, Spatial? values, int dims, int least, List<ParameterProblem> problems)
    {
        if (values is not { } v)
            return true;
        if (v.Rank != 1 && v.Rank != dims)
            problems.Add(new(parameter, $"{parameter} takes one integer or {dims} ({PerAxis.Names(dims)}) for spatialDims {dims}; got {v.Rank} entries{FitsOther(v.Rank, dims)}"));
        else if (v.Values.Any(x => x < least))
            problems.Add(new(parameter, $"{parameter} must be ≥ {least}; got {v}"));
        else
            return true;
        return false;
    }

    /// <summary>"; 3 entries fit spatialDims 3" when a list of that length belongs to another dimensionality.</summary>
    private static string FitsOther(int entries, int dims) => entries is >= 1 and <= 3 && entries != dims ? $"; {entries} entries fit spatialDims {entries}" : "";

    private static void CheckOutputFits(PoolMode mode, TensorShape input, PoolOptions o, List<ParameterProblem> problems)
    {
        var axes = PoolGeometry.ResolveAxes(mode, input, o);
        var dims = input.Dims.ToArray();
        for (var axis = 0; axis < axes.Length; axis++)
            dims[input.Rank - axes.Length + axis] = axes[axis].Output;
        var count = TensorShape.CheckedProduct(dims);
        if (count is null or > int.MaxValue || count > Array.MaxLength)
        {
            var parameter = mode.IsSliding() ? "kernelSize" : o.OutputRatio is null ? "outputSize" : "outputRatio";
            problems.Add(new(parameter, $"the output {new TensorShape(dims)} would hold {(count is { } c ? c.ToString() : "more than 2^63")} elements, more than one tensor can ({Array.MaxLength})"));
        }
    }
}
