using System.Numerics;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Pooling;

/// <summary>
/// The rules a pooling call's arguments must keep, in one place: the Domain's guards throw the first problem, the
/// API's plan reports them all, so a request that passes cannot throw inside an operator. They are PyTorch's rules for
/// each mode in each dimensionality it offers; budgets (how large a call may be) are the caller's.
/// </summary>
public static partial class PoolRules
{
    private const string Operation = "pooling";

    /// <summary>
    /// Every rule the arguments break, each naming its parameter: spatialDims, an option that does not apply to
    /// <paramref name="mode"/> in that dimensionality, the input's rank, a per-axis option without d entries, a missing
    /// required option, a value out of range, a window that does not fit, and (fractional-max)
    /// <paramref name="randomSamples"/> of the wrong shape.
    /// </summary>
    public static IReadOnlyList<ParameterProblem> Check(PoolMode mode, TensorShape input, PoolOptions options, TensorShape? randomSamples = null)
    {
        var problems = new List<ParameterProblem>();
        if (!CheckSpatialDims(mode, options, problems))
            return problems;
        CheckApplicable(mode, options, randomSamples is not null, problems);
        if (SpatialLayout.RankProblem("input", input, options.Dims, Operation) is { } rank)
            problems.Add(rank);
        else if (input.Dims.Contains(0))
            problems.Add(new("input", $"input has an empty dimension: {input}"));
        if (problems.Count > 0)
            return problems;
        var layout = SpatialLayout.Of(input, options.Dims);
        switch (mode.Windowing())
        {
            case PoolWindowing.Sliding:
                CheckSliding(mode, layout, options, problems);
                break;
            case PoolWindowing.Fractional:
                CheckFractional(layout, options, randomSamples, problems);
                break;
            default:
                CheckAdaptive(options, problems);
                break;
        }
        if (problems.Count == 0)
            CheckOutputFits(mode, layout, options, problems);
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

    private static bool CheckSpatialDims(PoolMode mode, PoolOptions o, List<ParameterProblem> problems)
    {
        if (o.Dims is < 1 or > SpatialLayout.MaxSpatialDims)
            problems.Add(new("spatialDims", $"spatialDims must be 1 (L), 2 (H, W) or 3 (D, H, W); got {o.Dims}"));
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

    /// <summary>d entries, each at least <paramref name="least"/>; true when the values are usable.</summary>
    private static bool CheckPerAxis(string parameter, Spatial? values, int dims, int least, List<ParameterProblem> problems)
    {
        if (values is not { } v)
            return true;
        if (SpatialLayout.ListProblem(parameter, v.Rank, dims) is { } length)
            problems.Add(length);
        else if (v.Values.Any(x => x < least))
            problems.Add(new(parameter, $"{parameter} must be ≥ {least}; got {v}"));
        else
            return true;
        return false;
    }

    /// <summary>Whether a per-axis option of <paramref name="count"/> entries fits; the problem is reported when not.</summary>
    private static bool CheckCount(string parameter, int count, int dims, List<ParameterProblem> problems)
    {
        if (SpatialLayout.ListProblem(parameter, count, dims) is not { } length)
            return true;
        problems.Add(length);
        return false;
    }

    private static void CheckOutputFits(PoolMode mode, SpatialLayout input, PoolOptions o, List<ParameterProblem> problems)
    {
        var sizes = PoolGeometry.ResolveAxes(mode, input, o).Select(a => a.Output).ToArray();
        var output = input.Reshaped(input.Channels, sizes);
        if (output.ElementCount is not { } count || count > Array.MaxLength)
        {
            var parameter = mode.IsSliding() ? "kernelSize" : o.OutputRatio is null ? "outputSize" : "outputRatio";
            problems.Add(new(parameter, $"the output {output} would hold {output.ElementCount?.ToString() ?? "more than 2^63"} elements, more than one tensor can ({Array.MaxLength})"));
        }
    }
}
