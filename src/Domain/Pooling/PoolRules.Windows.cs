using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Pooling;

public static partial class PoolRules
{
    private static void CheckSliding(PoolMode mode, SpatialLayout input, PoolOptions o, List<ParameterProblem> problems)
    {
        var dims = o.Dims;
        var ok = CheckPerAxis("stride", o.Stride, dims, 1, problems)
            & CheckPerAxis("padding", o.Padding, dims, 0, problems)
            & CheckPerAxis("dilation", o.Dilation, dims, 1, problems);
        if (o.KernelSize is null)
            problems.Add(new("kernelSize", $"kernelSize is required for {mode.WireName()} pooling: one integer ≥ 1 or {dims} ({SpatialLayout.AxisLetters(dims)})"));
        else
            ok &= CheckPerAxis("kernelSize", o.KernelSize, dims, 1, problems);
        if (o.DivisorOverride is < 1)
            problems.Add(new("divisorOverride", $"divisorOverride must be ≥ 1; got {o.DivisorOverride}"));
        if (mode == PoolMode.Lp && o.NormType is not > 0)
            problems.Add(new("normType", o.NormType is null ? "normType is required for lp pooling: a number p > 0" : $"normType must be > 0; got {o.NormType:R}"));
        if (!ok || o.KernelSize is null)
            return;

        for (var axis = 0; axis < dims; axis++)
            CheckPaddingOfAxis(mode, o, axis, problems);
        if (problems.Count > 0)
            return;
        var axes = Enumerable.Range(0, dims).Select(axis => PoolGeometry.SlidingAxis(input.Size(axis), o, axis)).ToArray();
        if (axes.Any(a => a.Output < 1))
        {
            var kernel = Join(axes.Select(a => a.Kernel));
            var dilated = Join(axes.Select(a => a.DilatedKernel));
            var what = dilated == kernel ? $"kernel {kernel}" : $"kernel {kernel} dilated to {dilated}";
            problems.Add(new("kernelSize", $"{what} is larger than the padded input {Join(axes.Select(a => a.PaddedInput))}"));
        }
        else if (dims == 3 && mode != PoolMode.Max && Array.FindIndex(axes, a => a.Kernel > a.Input) is var small and >= 0)
        {
            problems.Add(new("kernelSize", $"kernel {Join(axes.Select(a => a.Kernel))} is larger than the input {Join(axes.Select(a => a.Input))} along the {SpatialLayout.AxisName(small, dims)}: PyTorch's avg_pool3d (lp_pool3d pools with it) needs every input size at least the kernel's, padding aside"));
        }
    }

    /// <summary>
    /// PyTorch checks pooling padding against half the kernel: the dilated kernel in 2-D (max_pool2d), the undilated one
    /// in 1-D and 3-D (max_pool1d, max_pool3d); avg has no dilation.
    /// </summary>
    private static void CheckPaddingOfAxis(PoolMode mode, PoolOptions o, int axis, List<ParameterProblem> problems)
    {
        var (dims, kernel, padding) = (o.Dims, o.KernelSize!.Value[axis], o.Padding?[axis] ?? 0);
        var dilation = mode == PoolMode.Max ? o.Dilation?[axis] ?? 1 : 1;
        var dilated = mode == PoolMode.Max && dims == 2;
        var reach = dilated ? (long)dilation * (kernel - 1) + 1 : kernel;
        if (padding <= reach / 2)
            return;
        var why = !dilated && dilation > 1 ? $" (PyTorch's max_pool{dims}d checks the undilated kernel)" : "";
        problems.Add(new("padding", $"padding {padding} must be at most half the {(dilated ? "dilated " : "")}kernel {reach} ({reach / 2}) along the {SpatialLayout.AxisName(axis, dims)}{why}"));
    }

    private static void CheckAdaptive(PoolOptions o, List<ParameterProblem> problems)
    {
        var dims = o.Dims;
        if (o.OutputSize is not { } size)
        {
            var nulls = dims == 1 ? "" : ", entries may be null (keep that axis)";
            problems.Add(new("outputSize", $"outputSize is required for adaptive pooling: one integer ≥ 1 or {dims} ({SpatialLayout.AxisLetters(dims)}){nulls}"));
            return;
        }
        if (!CheckCount("outputSize", size.Rank, dims, problems))
            return;
        if (size.Sizes.Any(s => s < 1))
            problems.Add(new("outputSize", $"outputSize must be ≥ 1; got {size}"));
        else if (dims == 1 && size.Sizes[0] is null)
            problems.Add(new("outputSize", "outputSize of 1-D adaptive pooling must be an integer ≥ 1 (PyTorch's adaptive pool1d functions keep no axis by None)"));
    }

    private static void CheckFractional(SpatialLayout input, PoolOptions o, TensorShape? samples, List<ParameterProblem> problems)
    {
        var dims = o.Dims;
        var kernelOk = o.KernelSize is not null && CheckPerAxis("kernelSize", o.KernelSize, dims, 1, problems);
        if (o.KernelSize is null)
            problems.Add(new("kernelSize", $"kernelSize is required for fractional-max pooling: one integer ≥ 1 or {dims} ({SpatialLayout.AxisLetters(dims)})"));
        CheckSamplesShape(input, samples, problems);
        if (o.OutputSize is not null && o.OutputRatio is not null)
            problems.Add(new("outputRatio", "send outputSize or outputRatio, not both"));
        else if (o.OutputSize is { } size && !CheckCount("outputSize", size.Rank, dims, problems))
            return;
        else if (o.OutputSize is { } sizes && sizes.Sizes.Any(s => s is not >= 1))
            problems.Add(new("outputSize", $"outputSize of fractional-max pooling must be integers ≥ 1; got {sizes}"));
        else if (o.OutputRatio is { } ratio && !CheckCount("outputRatio", ratio.Rank, dims, problems))
            return;
        else if (o.OutputRatio is { } ratios && !ratios.Ratios.All(r => r is > 0 and < 1))
            problems.Add(new("outputRatio", $"outputRatio must lie in (0, 1); got {ratios}"));
        else if (o.OutputSize is null && o.OutputRatio is null)
            problems.Add(new("outputSize", "fractional-max pooling needs outputSize or outputRatio"));
        else if (kernelOk)
            CheckFractionalFits(input, o, problems);
    }

    /// <summary>PyTorch's fractional_max_pool2d needs O + K − 1 ≤ I on each axis, fractional_max_pool3d O + K − 1 &lt; I.</summary>
    private static void CheckFractionalFits(SpatialLayout input, PoolOptions o, List<ParameterProblem> problems)
    {
        var dims = o.Dims;
        var parameter = o.OutputRatio is null ? "outputSize" : "outputRatio";
        for (var axis = 0; axis < dims; axis++)
        {
            var (size, kernel, name) = (input.Size(axis), o.KernelSize!.Value[axis], SpatialLayout.AxisName(axis, dims));
            var output = PoolGeometry.FractionalOutput(size, o, axis);
            var least = (long)output + kernel - 1 + (dims == 3 ? 1 : 0);
            if (output < 1)
                problems.Add(new(parameter, $"outputRatio {o.OutputRatio!.Value.Ratios[axis]:R} of the input {name} {size} leaves no output"));
            else if (least > size)
                problems.Add(new(parameter, $"output {name} {output} with kernel {kernel} needs an input {name} of at least {least}{(dims == 3 ? " (fractional_max_pool3d needs O + K − 1 < I)" : "")}; got {size}"));
        }
    }

    private static void CheckSamplesShape(SpatialLayout input, TensorShape? samples, List<ParameterProblem> problems)
    {
        if (samples is not { } s)
            return;
        var expected = PoolGeometry.SamplesShapeOf(input);
        if (s.Equals(expected))
            return;
        var order = input.SpatialDims == 2 ? "one (width, height) pair" : "one (depth, height, width) triple";
        var perPlane = s.Rank == expected.Rank && s.Dims[..^1].SequenceEqual(expected.Dims[..^1]) && s[s.Rank - 1] is 2 or 3 ? s[s.Rank - 1] : 0;
        var hint = perPlane > 0 && perPlane != input.SpatialDims ? $": {perPlane} samples per plane fit spatialDims {perPlane}" : "";
        problems.Add(new("randomSamples", $"randomSamples must have shape {expected} ({order} per plane) for an input {input.Shape}; got {s}{hint}"));
    }

    private static string Join<T>(IEnumerable<T> values) => string.Join('×', values);
}
