using ConvService.Api.Contracts;
using ConvService.Domain.Convolution;
using FluentValidation;

namespace ConvService.Api.Validation;

/// <summary>The rules of /conv/backward: those of /conv/forward, then gradOutput of the forward output's shape and within float32's range.</summary>
public sealed class ConvBackwardRequestValidator : ConvRequestValidator<ConvBackwardRequest>
{
    public ConvBackwardRequestValidator() =>
        RuleFor(r => r).Custom((request, context) =>
        {
            if (request.GradOutput is null)
                return;
            CommonRules.AddFloat32RangeFailures(context.AddFailure, "gradOutput", request.GradOutput, request.Dtype);
            if (request.Input is null || request.Kernel is null)
                return;
            var options = request.ToOptions();
            if (ConvRules.Check(request.Input.Shape, request.Kernel.Shape, request.Bias?.Shape, options).Count > 0)
                return;
            var geometry = ConvGeometry.Create(request.Input.Shape, request.Kernel.Shape, request.Bias?.Shape, options);
            if (ConvRules.CheckGradOutput(geometry.OutputShape, request.GradOutput.Shape) is { } problem)
                context.AddFailure(problem.Parameter, problem.Message);
        });
}
