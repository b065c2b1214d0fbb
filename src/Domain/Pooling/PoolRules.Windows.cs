using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Pooling;

public static partial class PoolRules
{
    private static void CheckSliding(PoolMode mode, TensorShape input, PoolOptions o, List<ParameterProblem> problems)
    {
        var ok = CheckPair("stride", o.Stride, 1, problems) & CheckPair("padding", o.Padding, 0, problems) & CheckPair("dilation", o.Dilation, 1, problems);
        if (o.KernelSize is null)
            problems.Add(new("kernelSize", $"kernelSize is required for {NameOf(mode)} pooling: one integer ≥ 1 or [height, width]"));
        else
            ok &= CheckPair("kernelSize", o.KernelSize, 1, problems);
        if (o.DivisorOverride is < 1)
            problems.Add(new("divisorOverride", $"divisorOverride must be ≥ 1; got {o.DivisorOverride}"));
        if (mode == PoolMode.Lp && o.NormType is not > 0)
            problems.Add(new("normType", o.NormType is null ? "normType is required for lp pooling: a number p > 0" : $"normType must be > 0; got {o.NormType:R}"));
        if (!ok || o.KernelSize is null)
            return;

        var padding = o.Padding ?? Spatial.Repeat(0, SpatialRank);
        for (var axis = 0; axis < SpatialRank; axis++)
        {
            var kernel = o.KernelSize.Value[axis];
            var reach = mode == PoolMode.Max ? (long)(o.Dilation?[axis] ?? 1) * (kernel - 1) + 1 : kernel;
            if (padding[axis] > reach / 2)
                problems.Add(new("padding", $"padding {padding[axis]} must be at most half the {(mode == PoolMode.Max ? "dilated " : "")}kernel {reach} ({reach / 2}) along the {AxisName(axis)}"));
        }
        if (problems.Count > 0)
            return;
        var axes = PoolGeometry.SlidingAxes(input, o);
        if (axes[0].Output < 1 || axes[1].Output < 1)
        {
            var kernel = $"{axes[0].Kernel}×{axes[1].Kernel}";
            var dilated = $"{axes[0].DilatedKernel}×{axes[1].DilatedKernel}";
            var what = dilated == kernel ? $"kernel {kernel}" : $"kernel {kernel} dilated to {dilated}";
            problems.Add(new("kernelSize", $"{what} is larger than the padded input {axes[0].PaddedInput}×{axes[1].PaddedInput}"));
        }
        else
            CheckOutputElements(input, axes[0].Output, axes[1].Output, problems, "kernelSize");
    }

    private static void CheckAdaptive(TensorShape input, PoolOptions o, List<ParameterProblem> problems)
    {
        if (o.OutputSize is not { } size)
        {
            problems.Add(new("outputSize", "outputSize is required for adaptive pooling: one integer ≥ 1, [height, width], or a pair with null entries"));
            return;
        }
        if (size.Height is < 1 || size.Width is < 1)
        {
            problems.Add(new("outputSize", $"outputSize must be ≥ 1; got {size}"));
            return;
        }
        CheckOutputElements(input, size.Height ?? input[input.Rank - 2], size.Width ?? input[input.Rank - 1], problems, "outputSize");
    }

    private static void CheckFractional(TensorShape input, PoolOptions o, TensorShape? samples, List<ParameterProblem> problems)
    {
        var kernelOk = o.KernelSize is not null && CheckPair("kernelSize", o.KernelSize, 1, problems);
        if (o.KernelSize is null)
            problems.Add(new("kernelSize", "kernelSize is required for fractional-max pooling: one integer ≥ 1 or [height, width]"));
        CheckSamplesShape(input, samples, problems);
        if (o.OutputSize is not null && o.OutputRatio is not null)
            problems.Add(new("outputRatio", "send outputSize or outputRatio, not both"));
        else if (o.OutputSize is { } size && (size.Height is not >= 1 || size.Width is not >= 1))
            problems.Add(new("outputSize", $"outputSize of fractional-max pooling must be integers ≥ 1; got {size}"));
        else if (o.OutputRatio is { } ratio && !(ratio.Height is > 0 and < 1 && ratio.Width is > 0 and < 1))
            problems.Add(new("outputRatio", $"outputRatio must lie in (0, 1); got {ratio}"));
        else if (o.OutputSize is null && o.OutputRatio is null)
            problems.Add(new("outputSize", "fractional-max pooling needs outputSize or outputRatio"));
        else if (kernelOk)
            CheckFractionalFits(input, o, problems);
    }

    private static void CheckFractionalFits(TensorShape input, PoolOptions o, List<ParameterProblem> problems)
    {
        var output = PoolGeometry.FractionalOutput(input, o);
        for (var axis = 0; axis < SpatialRank; axis++)
        {
            var (size, kernel) = (input[input.Rank - SpatialRank + axis], o.KernelSize!.Value[axis]);
            var parameter = o.OutputRatio is null ? "outputSize" : "outputRatio";
            if (output[axis] < 1)
                problems.Add(new(parameter, $"outputRatio {o.OutputRatio!.Value[axis]:R} of the input {AxisName(axis)} {size} leaves no output"));
            else if ((long)output[axis] + kernel - 1 > size)
                problems.Add(new(parameter, $"output {AxisName(axis)} {output[axis]} with kernel {kernel} needs an input {AxisName(axis)} of at least {(long)output[axis] + kernel - 1}; got {size}"));
        }
    }

    private static void CheckSamplesShape(TensorShape input, TensorShape? samples, List<ParameterProblem> problems)
    {
        if (samples is not { } s)
            return;
        var expected = PoolGeometry.SamplesShapeOf(input);
        if (!s.Equals(expected))
            problems.Add(new("randomSamples", $"randomSamples must have shape {expected} (one (width, height) pair per plane) for an input {input}; got {s}"));
    }
}
