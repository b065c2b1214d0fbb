using ConvService.Api.Contracts;
using ConvService.Api.Hosting;
using ConvService.Domain.Convolution;
using ConvService.Domain.Tensors;

namespace ConvService.Api.Plans;

/// <summary>
/// A convolution resolved once (/conv/forward, /conv/backward, and any other door to conv1d/2d/3d): the Domain geometry,
/// the dtype and the cost, or every rule and limit the request breaks. Limits are checked on the geometry's integers in
/// 128-bit arithmetic before anything is allocated.
/// </summary>
/// <param name="Geometry">Every axis resolved: padding begin and end, window, output size.</param>
/// <param name="Dtype">The precision the computation runs in.</param>
/// <param name="Cost">Work: the forward pass's multiply-adds, twice that for both gradients.</param>
public sealed record ConvPlan(ConvGeometry Geometry, DType Dtype, Cost Cost) : IPlan
{
    /// <summary>Plans a forward convolution.</summary>
    public static PlanResult<ConvPlan> Forward(TensorShape input, TensorShape kernel, TensorShape? bias, ConvOptions options, DType dtype, ServiceLimits limits)
    {
        if (ConvGeometry.TryCreate(input, kernel, bias, options, out var problems) is not { } geometry)
            return PlanResult<ConvPlan>.Failed(problems);
        var cost = new Cost(geometry.MultiplyAdds, Elements(input, kernel, bias), Elements(geometry.OutputShape));
        return Check(geometry, limits, cost, "") ?? new ConvPlan(geometry, dtype, cost);
    }

    /// <summary>Plans the gradients of a convolution; <paramref name="gradOutput"/> (when sent) must have the output's shape.</summary>
    public static PlanResult<ConvPlan> Backward(TensorShape input, TensorShape kernel, TensorShape? bias, TensorShape? gradOutput, ConvOptions options, DType dtype, ServiceLimits limits)
    {
        if (ConvGeometry.TryCreate(input, kernel, bias, options, out var problems) is not { } geometry)
            return PlanResult<ConvPlan>.Failed(problems);
        if (gradOutput is { } grad && ConvRules.CheckGradOutput(geometry.OutputShape, grad) is { } problem)
            return PlanResult<ConvPlan>.Failed([problem]);
        var work = geometry.MultiplyAdds > long.MaxValue / 2 ? long.MaxValue : 2 * geometry.MultiplyAdds;
        var cost = new Cost(work, Elements(input, kernel, bias) + Elements(geometry.OutputShape), Elements(input, kernel, bias));
        return Check(geometry, limits, cost, " for both gradients") ?? new ConvPlan(geometry, dtype, cost);
    }

    /// <summary>The first limit the call would break: the padded input per tensor, the output per tensor, the work per request.</summary>
    private static PlanResult<ConvPlan>? Check(ConvGeometry g, ServiceLimits limits, Cost cost, string work)
    {
        var padded = PaddedCount(g);
        if (padded > limits.MaxElementsPerTensor)
            return PlanResult<ConvPlan>.Failed("padding", $"padding {Padding(g)} makes the padded input {PaddedShape(g)} = {padded} elements; the limit per tensor is {limits.MaxElementsPerTensor}");
        var outputs = g.OutputShape.ElementCount ?? long.MaxValue;
        if (outputs > limits.MaxOutputElements)
            return PlanResult<ConvPlan>.Failed("kernel", $"the output {g.OutputShape} would hold {outputs} elements; the limit is {limits.MaxOutputElements}");
        if (cost.Work > limits.MaxWork)
            return PlanResult<ConvPlan>.Failed("kernel", $"kernel {g.KernelShape} over the output {g.OutputShape} needs {cost.Work} multiply-adds{work}; the limit per request is {limits.MaxWork}");
        return null;
    }

    private static string Padding(ConvGeometry g) => g.Axes.All(a => a.PadBegin == a.PadEnd)
        ? string.Join('×', g.Axes.Select(a => a.PadBegin))
        : string.Join('×', g.Axes.Select(a => $"[{a.PadBegin}, {a.PadEnd}]"));

    /// <summary>The padded input's element count, without overflow.</summary>
    internal static Int128 PaddedCount(ConvGeometry g)
    {
        var count = (Int128)g.Batch * g.InChannels;
        foreach (var axis in g.Axes)
            count *= axis.PaddedInput;
        return count;
    }

    /// <summary>The padded input's shape as N·C × padded sizes, for a refusal (made only then: every request passes here).</summary>
    internal static string PaddedShape(ConvGeometry g) => $"{g.Batch * g.InChannels}×{string.Join('×', g.Axes.Select(a => a.PaddedInput))}";

    internal static long Elements(params ReadOnlySpan<TensorShape?> shapes)
    {
        var total = 0L;
        foreach (var shape in shapes)
            total += shape?.ElementCount ?? 0;
        return total;
    }
}
