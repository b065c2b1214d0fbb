using ConvService.Api.Contracts;
using ConvService.Api.Hosting;
using ConvService.Domain.Convolution;
using ConvService.Domain.Tensors;

namespace ConvService.Api.Plans;

/// <summary>
/// A transposed convolution resolved once (/conv/transpose, /conv/transpose/backward): its geometry (the equivalent
/// forward convolution), dtype and cost, or every rule and limit the request breaks.
/// </summary>
/// <param name="Geometry">The equivalent forward convolution and the output padding in force.</param>
/// <param name="Dtype">The precision the computation runs in.</param>
/// <param name="Cost">Work: the multiply-adds of the input-gradient pass, twice that for both gradients.</param>
public sealed record ConvTransposePlan(ConvTransposeGeometry Geometry, DType Dtype, Cost Cost) : IPlan
{
    /// <summary>Plans a transposed convolution.</summary>
    public static PlanResult<ConvTransposePlan> Forward(TensorShape input, TensorShape kernel, TensorShape? bias, ConvTransposeOptions options, DType dtype, ServiceLimits limits)
    {
        if (ConvTransposeGeometry.TryCreate(input, kernel, bias, options, out var problems) is not { } geometry)
            return PlanResult<ConvTransposePlan>.Failed(problems);
        var cost = new Cost(geometry.MultiplyAdds, ConvPlan.Elements(input, kernel, bias), ConvPlan.Elements(geometry.OutputShape));
        return Check(geometry, limits, cost, "") ?? new ConvTransposePlan(geometry, dtype, cost);
    }

    /// <summary>Plans the gradients of a transposed convolution; <paramref name="gradOutput"/> (when sent) must have the output's shape.</summary>
    public static PlanResult<ConvTransposePlan> Backward(TensorShape input, TensorShape kernel, TensorShape? bias, TensorShape? gradOutput, ConvTransposeOptions options, DType dtype, ServiceLimits limits)
    {
        if (ConvTransposeGeometry.TryCreate(input, kernel, bias, options, out var problems) is not { } geometry)
            return PlanResult<ConvTransposePlan>.Failed(problems);
        if (gradOutput is { } grad && ConvRules.CheckGradOutput(geometry.OutputShape, grad) is { } problem)
            return PlanResult<ConvTransposePlan>.Failed([problem]);
        var work = geometry.MultiplyAdds > long.MaxValue / 2 ? long.MaxValue : 2 * geometry.MultiplyAdds;
        var cost = new Cost(work, ConvPlan.Elements(input, kernel, bias, geometry.OutputShape), ConvPlan.Elements(input, kernel, bias));
        return Check(geometry, limits, cost, " for both gradients") ?? new ConvTransposePlan(geometry, dtype, cost);
    }

    /// <summary>The first limit the call would break: the output per tensor, the padded output it is cut from, the work per request.</summary>
    private static PlanResult<ConvTransposePlan>? Check(ConvTransposeGeometry g, ServiceLimits limits, Cost cost, string work)
    {
        var outputs = g.OutputShape.ElementCount ?? long.MaxValue;
        if (outputs > limits.MaxOutputElements)
            return PlanResult<ConvTransposePlan>.Failed("stride", $"the output {g.OutputShape} would hold {outputs} elements; the limit is {limits.MaxOutputElements}");
        var padded = ConvPlan.PaddedCount(g.Forward);
        if (padded > limits.MaxElementsPerTensor)
            return PlanResult<ConvTransposePlan>.Failed("padding", $"the output is cut from a padded output {ConvPlan.PaddedShape(g.Forward)} = {padded} elements (padding {string.Join('×', g.Forward.Axes.Select(a => a.PadBegin))} off each end); the limit per tensor is {limits.MaxElementsPerTensor}");
        if (cost.Work > limits.MaxWork)
            return PlanResult<ConvTransposePlan>.Failed("kernel", $"kernel {g.KernelShape} over the input {g.InputShape} needs {cost.Work} multiply-adds{work}; the limit per request is {limits.MaxWork}");
        return null;
    }
}
