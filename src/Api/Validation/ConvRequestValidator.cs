using ConvService.Api.Contracts;
using ConvService.Domain.Convolution;
using FluentValidation;

namespace ConvService.Api.Validation;

/// <summary>The rules of /conv/forward (and the part of /conv/backward it shares): required tensors, then every rule of <see cref="ConvRules"/>.</summary>
public abstract class ConvRequestValidator<T> : AbstractValidator<T> where T : ConvRequest
{
    protected ConvRequestValidator()
    {
        RuleFor(r => r.Input).NotNull().WithMessage("input is required: a tensor of rank 2 (H, W), 3 (C, H, W) or 4 (N, C, H, W)");
        RuleFor(r => r.Kernel).NotNull().WithMessage("kernel is required: (kH, kW) for an (H, W) input, else (Cout, C/groups, kH, kW)");
        this.NoUnknownFields(r => r.UnknownFields);
        RuleFor(r => r).Custom((request, context) =>
        {
            if (request.Input is null || request.Kernel is null)
                return;
            foreach (var problem in ConvRules.Check(request.Input.Shape, request.Kernel.Shape, request.Bias?.Shape, request.ToOptions()))
                context.AddFailure(problem.Parameter, problem.Message);
            CommonRules.AddFloat32RangeFailures(context.AddFailure, "input", request.Input, request.Dtype);
            CommonRules.AddFloat32RangeFailures(context.AddFailure, "kernel", request.Kernel, request.Dtype);
            CommonRules.AddFloat32RangeFailures(context.AddFailure, "bias", request.Bias, request.Dtype);
        });
    }
}

public sealed class ConvForwardRequestValidator : ConvRequestValidator<ConvForwardRequest>;
