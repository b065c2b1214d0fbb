using ConvService.Api.Hosting;
using ConvService.Domain.Convolution;
using ConvService.Domain.Tensors;
using FluentValidation;

namespace ConvService.Api.Validation;

/// <summary>
/// The size rules of <see cref="ServiceLimits"/> that a request's shapes decide before anything is allocated:
/// the padded input, the output and the multiply-adds. Arithmetic is in <see cref="Int128"/> on the Domain's
/// output-size rule, so no padding, dilation or stride can overflow it; only a request within the limits
/// reaches <see cref="ConvGeometry"/>, whose int geometry then cannot overflow either.
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
            var (begin, end) = options.Padding.Resolve(axis, input[rank - 2 + axis], k, options.Stride[axis], options.Dilation[axis]);
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
        else if (geometry.MultiplyAdds > limits.MaxMultiplyAdds)
            addFailure("kernel", $"kernel {kernel} over the output {geometry.OutputShape} needs {geometry.MultiplyAdds} multiply-adds; the limit per request is {limits.MaxMultiplyAdds}");
    }
}
