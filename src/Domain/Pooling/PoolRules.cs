using System.Numerics;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Pooling;

/// <summary>
/// The rules a pooling call's arguments must keep, in one place: the Domain's guards throw the first problem, the
/// API's validators report them all, so a request that passes validation cannot throw inside an operator.
/// </summary>
public static partial class PoolRules
{
    private const int SpatialRank = 2;

    /// <summary>
    /// Every rule the arguments break, each naming its parameter: an option that does not apply to
    /// <paramref name="mode"/>, a missing required option, a value out of range, a window that does not fit, and
    /// (fractional-max) <paramref name="randomSamples"/> of the wrong shape.
    /// </summary>
    public static IReadOnlyList<ParameterProblem> Check(PoolMode mode, TensorShape input, PoolOptions options, TensorShape? randomSamples = null)
    {
        var problems = new List<ParameterProblem>();
        CheckApplicable(mode, options, randomSamples is not null, problems);
        CheckInput(input, problems);
        if (problems.Count > 0)
            return problems;
        switch (mode)
        {
            case PoolMode.Max or PoolMode.Avg or PoolMode.Lp:
                CheckSliding(mode, input, options, problems);
                break;
            case PoolMode.FractionalMax:
                CheckFractional(input, options, randomSamples, problems);
                break;
            default:
                CheckAdaptive(input, options, problems);
                break;
        }
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

    /// <summary>The wire name of a mode, as messages write it ("fractional-max").</summary>
    public static string NameOf(PoolMode mode) => mode switch
    {
        PoolMode.FractionalMax => "fractional-max",
        PoolMode.AdaptiveMax => "adaptive-max",
        PoolMode.AdaptiveAvg => "adaptive-avg",
        _ => mode.ToString().ToLowerInvariant(),
    };

    private static void CheckApplicable(PoolMode mode, PoolOptions o, bool hasSamples, List<ParameterProblem> problems)
    {
        var (sliding, fractional) = (mode.IsSliding(), mode == PoolMode.FractionalMax);
        NotApplicable("kernelSize", o.KernelSize is not null, sliding || fractional);
        NotApplicable("stride", o.Stride is not null, sliding);
        NotApplicable("padding", o.Padding is not null, mode is PoolMode.Max or PoolMode.Avg);
        NotApplicable("dilation", o.Dilation is not null, mode == PoolMode.Max);
        NotApplicable("ceilMode", o.CeilMode is not null, sliding);
        NotApplicable("countIncludePad", o.CountIncludePad is not null, mode == PoolMode.Avg);
        NotApplicable("divisorOverride", o.DivisorOverride is not null, mode == PoolMode.Avg);
        NotApplicable("normType", o.NormType is not null, mode == PoolMode.Lp);
        NotApplicable("outputSize", o.OutputSize is not null, mode.IsAdaptive() || fractional);
        NotApplicable("outputRatio", o.OutputRatio is not null, fractional);
        NotApplicable("randomSamples", hasSamples, fractional);
        NotApplicable("seed", o.Seed is not null, fractional);
        NotApplicable("returnIndices", o.ReturnIndices is not null, mode.IsMaxType());

        void NotApplicable(string parameter, bool given, bool applies)
        {
            if (given && !applies)
                problems.Add(new(parameter, $"{parameter} does not apply to {NameOf(mode)} pooling"));
        }
    }

    private static void CheckInput(TensorShape input, List<ParameterProblem> problems)
    {
        if (input.Rank is < 2 or > 4)
            problems.Add(new("input", $"input must have rank 2 (H, W), 3 (C, H, W) or 4 (N, C, H, W); got rank {input.Rank} ({input})"));
        else if (input.Dims.Contains(0))
            problems.Add(new("input", $"input has an empty dimension: {input}"));
    }

    private static bool CheckPair(string parameter, Spatial? values, int least, List<ParameterProblem> problems)
    {
        if (values is not { } v)
            return true;
        if (v.Rank != SpatialRank)
            problems.Add(new(parameter, $"{parameter} needs {SpatialRank} values (height, width); got {v.Rank}"));
        else if (v.Values.Any(x => x < least))
            problems.Add(new(parameter, $"{parameter} must be ≥ {least}; got {v}"));
        else
            return true;
        return false;
    }

    // Not a budget (budgets are the caller's to set): an output no array can hold cannot be computed at all.
    private static void CheckOutputElements(TensorShape input, long height, long width, List<ParameterProblem> problems, string parameter)
    {
        var planes = TensorShape.CheckedProduct(input.Dims.AsSpan(0, input.Rank - SpatialRank)) ?? long.MaxValue;
        var count = height * width;
        if (count > Array.MaxLength || planes * count > Array.MaxLength)
            problems.Add(new(parameter, $"an output of {planes} planes of {height}×{width} is more than {Array.MaxLength} elements, the most one array holds"));
    }

    private static string AxisName(int axis) => axis == 0 ? "height" : "width";
}
