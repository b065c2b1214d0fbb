using ConvService.Api.Contracts;
using FluentValidation;

namespace ConvService.Api.Validation;

/// <summary>
/// The field rules every <see cref="KernelRequest"/> shares: input and kernel present, no unknown fields, a spatialDims of
/// 1, 2 or 3 with per-axis lists of that length, values within float32 for float32. The shape rules and limits are the
/// plan's (<see cref="Plans.ConvPlan"/>, <see cref="Plans.ConvTransposePlan"/>), reported together with these.
/// </summary>
public abstract class KernelRequestValidator<T> : AbstractValidator<T> where T : KernelRequest
{
    protected KernelRequestValidator(string kernelLayout)
    {
        RuleFor(r => r.Input).NotNull().WithMessage("input is required: for spatialDims d a tensor of rank d (one line, plane or volume), d + 1 (C, …) or d + 2 (N, C, …)");
        RuleFor(r => r.Kernel).NotNull().WithMessage($"kernel is required: (k…) for an input of rank d, else {kernelLayout}");
        this.NoUnknownFields(r => r.UnknownFields);
        RuleFor(r => r).Custom((request, context) =>
        {
            // One delegate for the four calls: a method group makes a new one each time it is passed.
            Action<string, string> addFailure = context.AddFailure;
            CommonRules.AddAxisFailures(addFailure, request.SpatialDims, request.Padding, request.AxisLists);
            CommonRules.AddFloat32RangeFailures(addFailure, "input", request.Input, request.Dtype);
            CommonRules.AddFloat32RangeFailures(addFailure, "kernel", request.Kernel, request.Dtype);
            CommonRules.AddFloat32RangeFailures(addFailure, "bias", request.Bias, request.Dtype);
        });
    }

    /// <summary>gradOutput, when sent, within float32's range (its shape is the plan's rule).</summary>
    protected void GradOutputFitsTheDtype(Func<T, Wire.RequestTensor?> gradOutput) =>
        RuleFor(r => r).Custom((request, context) => CommonRules.AddFloat32RangeFailures(context.AddFailure, "gradOutput", gradOutput(request), request.Dtype));
}
