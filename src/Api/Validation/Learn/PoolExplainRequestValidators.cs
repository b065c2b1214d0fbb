using ConvService.Api.Contracts.Learn;
using FluentValidation;

namespace ConvService.Api.Validation.Learn;

public sealed class PoolExplainRequestValidator : PoolRequestValidator<PoolExplainRequest>
{
    public PoolExplainRequestValidator() => RuleFor(r => r.Cell).NotNull().WithMessage(ExplainRules.CellRequired);
}

/// <summary>The pooling rules, a cell, and gradOutput within float32's range (its shape is the plan's rule).</summary>
public sealed class PoolBackwardExplainRequestValidator : PoolRequestValidator<PoolBackwardExplainRequest>
{
    public PoolBackwardExplainRequestValidator()
    {
        RuleFor(r => r.Cell).NotNull().WithMessage(ExplainRules.CellRequired);
        RuleFor(r => r).Custom((request, context) => CommonRules.AddFloat32RangeFailures(context.AddFailure, "gradOutput", request.GradOutput, request.Dtype));
    }
}
