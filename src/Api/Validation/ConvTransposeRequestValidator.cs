using ConvService.Api.Contracts;
using FluentValidation;

namespace ConvService.Api.Validation;

/// <summary>
/// The field rules of /conv/transpose and /conv/transpose/backward: required tensors, no unknown fields, spatialDims
/// with per-axis lists of that length, padding as integers only (PyTorch's conv_transpose has no [begin, end] pairs and no
/// "same"), outputSize or outputPadding but not both, values within float32 for float32. Shapes and limits are the plan's.
/// </summary>
public abstract class ConvTransposeRequestValidator<T> : AbstractValidator<T> where T : ConvTransposeRequest
{
    protected ConvTransposeRequestValidator()
    {
        RuleFor(r => r.Input).NotNull().WithMessage("input is required: for spatialDims d a tensor of rank d (one line, plane or volume), d + 1 (C, …) or d + 2 (N, C, …)");
        RuleFor(r => r.Kernel).NotNull().WithMessage("kernel is required: (k…) for an input of rank d, else (C, Cout/groups, k…)");
        this.NoUnknownFields(r => r.UnknownFields);
        RuleFor(r => r).Custom((request, context) =>
        {
            CommonRules.AddAxisFailures(context.AddFailure, request.SpatialDims, request.Padding, request.AxisLists);
            if (!request.PaddingIsIntegers && request.Padding is { } padding)
                context.AddFailure("padding", $"a transposed convolution's padding is one integer or a list of d integers, taken off both ends as PyTorch's conv_transpose does; got {padding}");
            if (request.OutputSize is not null && request.OutputPadding is not null)
                context.AddFailure("outputSize", $"send outputSize or outputPadding, not both: outputSize {request.OutputSize} chooses the output padding");
            CommonRules.AddFloat32RangeFailures(context.AddFailure, "input", request.Input, request.Dtype);
            CommonRules.AddFloat32RangeFailures(context.AddFailure, "kernel", request.Kernel, request.Dtype);
            CommonRules.AddFloat32RangeFailures(context.AddFailure, "bias", request.Bias, request.Dtype);
        });
    }
}

public sealed class ConvTransposeForwardRequestValidator : ConvTransposeRequestValidator<ConvTransposeForwardRequest>;

/// <summary>The transposed rules plus gradOutput within float32's range (its shape is the plan's rule).</summary>
public sealed class ConvTransposeBackwardRequestValidator : ConvTransposeRequestValidator<ConvTransposeBackwardRequest>
{
    public ConvTransposeBackwardRequestValidator() =>
        RuleFor(r => r).Custom((request, context) => CommonRules.AddFloat32RangeFailures(context.AddFailure, "gradOutput", request.GradOutput, request.Dtype));
}
