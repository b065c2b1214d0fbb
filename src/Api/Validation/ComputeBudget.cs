using ConvService.Api.Hosting;
using ConvService.Domain.Convolution;
using ConvService.Domain.Geometry;
using ConvService.Domain.Pooling;
using ConvService.Domain.Tensors;
using FluentValidation;

namespace ConvService.Api.Validation;

/// <summary>
/// The size rules of <see cref="ServiceLimits"/> that a request's shapes decide before anything is allocated, the
/// same for every operation: the output elements, and the work (<see cref="ServiceLimits.MaxWork"/>: multiply-adds
/// for a convolution, window reads for a pooling); a convolution's padded input too. Arithmetic is in
/// <see cref="Int128"/> on the Domain's output-size rule, so no padding, dilation or stride can overflow it; only a
/// request within the limits reaches <see cref="ConvGeometry"/>, whose int geometry then cannot overflow either.
/// </summary>
public static class ComputeBudget
{
    /// <summary>The key under which the request filter hands validators the current limits.</summary>
    public const string LimitsKey = nameof(ServiceLimits);

    /// <summary>The limits in force for this validation (the defaults when validated outside a request).</summary>
    public static ServiceLimits LimitsOf<T>(ValidationContext<T> context) =>
        context.RootContextData.TryGetValue(LimitsKey, out var limits) && limits is ServiceLimits l ? l : Defaults;

    private static readonly ServiceLimits Defaults = new();

    /// <summary>Reports the first limit a convolution with valid shapes would break (padding, then kernel).</summary>
    public static void CheckConvolution(TensorShape input, TensorShape kernel, ConvOptions options, ServiceLimits limits, Action<string, string> addFailure)
    {
        var rank = input.Rank;
        Int128 planes = (rank == 4 ? input[0] : 1) * (Int128)(rank == 2 ? 1 : input[rank - 3]);
        var padded = planes;
        var sizes = new long[2];
        for (var axis = 0; axis < 2; axis++)
        {
            var k = kernel[kernel.Rank - 2 + axis];
            var (begin, end) = options.Padding.Resolve(axis, k, options.Dilation[axis]);
            sizes[axis] = (long)input[rank - 2 + axis] + begin + end;
            padded *= sizes[axis];
        }
        if (padded > limits.MaxElementsPerTensor)
        {
            addFailure("padding", $"padding {options.Padding} makes the padded input {planes}×{sizes[0]}×{sizes[1]} = {padded} elements; the limit per tensor is {limits.MaxElementsPerTensor}");
            return;
        }
        var geometry = ConvGeometry.Create(input, kernel, null, options);
        var outputs = geometry.OutputShape.ElementCount ?? long.MaxValue;
        if (outputs > limits.MaxOutputElements)
            addFailure("kernel", $"the output {geometry.OutputShape} would hold {outputs} elements; the limit is {limits.MaxOutputElements}");
        else if (geometry.MultiplyAdds > limits.MaxWork)
            addFailure("kernel", $"kernel {kernel} over the output {geometry.OutputShape} needs {geometry.MultiplyAdds} multiply-adds; the limit per request is {limits.MaxWork}");
    }

    /// <summary>
    /// Reports the first limit a pooling with a valid geometry would break: its output elements (named by
    /// <paramref name="outputField"/>, the field that sized it), then its window reads (named by
    /// <paramref name="windowField"/>).
    /// </summary>
    public static void CheckPooling(PoolGeometry geometry, string outputField, string windowField, ServiceLimits limits, Action<string, string> addFailure)
    {
        var outputs = geometry.OutputShape.ElementCount ?? long.MaxValue;
        if (outputs > limits.MaxOutputElements)
        {
            addFailure(outputField, $"the output {geometry.OutputShape} would hold {outputs} elements; the limit is {limits.MaxOutputElements}");
            return;
        }
        var window = WindowCells(geometry.Axes[0]) * WindowCells(geometry.Axes[1]);
        var reads = outputs * window;
        if (reads > limits.MaxWork)
            addFailure(windowField, $"{outputs} output elements over windows of up to {WindowCells(geometry.Axes[0])}×{WindowCells(geometry.Axes[1])} input cells need {reads} window reads; the limit per request is {limits.MaxWork}");
    }

    /// <summary>
    /// The most input cells one window of an axis reads: the kernel's taps, never more than the input holds; an
    /// adaptive window (Kernel 0) spans at most ceil(I / O) + 1 cells.
    /// </summary>
    private static Int128 WindowCells(WindowAxis axis) => axis.Kernel > 0
        ? Math.Min(axis.Kernel, axis.Input)
        : Math.Min(axis.Input, (axis.Input + (long)axis.Output - 1) / axis.Output + 1);
}
