using ConvService.Api.Contracts;
using ConvService.Api.Wire;
using ConvService.Domain.Geometry;
using ConvService.Domain.Pooling;
using FluentValidation;

namespace ConvService.Api.Validation;

/// <summary>
/// The field rules of /pool/{mode}: a required input, no unknown fields, a spatialDims of 1, 2 or 3 with per-axis lists
/// of that length, values within float32 for float32, fractional-max samples in [0, 1) in the request's dtype. The
/// rules of each mode and the limits are the plan's (<see cref="Plans.PoolPlan"/>).
/// </summary>
public abstract class PoolRequestValidator<T> : AbstractValidator<T> where T : PoolRequest
{
    protected PoolRequestValidator()
    {
        RuleFor(r => r.Input).NotNull().WithMessage("input is required: for spatialDims d a tensor of rank d (one line, plane or volume), d + 1 (C, …) or d + 2 (N, C, …)");
        this.NoUnknownFields(r => r.UnknownFields);
        RuleFor(r => r).Custom((request, context) =>
        {
            // One delegate for both calls: a method group makes a new one each time it is passed.
            Action<string, string> addFailure = context.AddFailure;
            CommonRules.AddAxisFailures(addFailure, request.SpatialDims, null, request.AxisLists);
            if (request.RandomSamples is not null && SampleProblem(request.RandomSamples, request.Dtype) is { } samples)
                context.AddFailure(samples.Parameter, samples.Message);
            CommonRules.AddFloat32RangeFailures(addFailure, "input", request.Input, request.Dtype);
        });
    }

    // Samples sent as binary float32 are widened for the check (exactly); there are two or three per plane.
    private static ParameterProblem? SampleProblem(RequestTensor samples, DType? dtype) =>
        dtype == DType.Float32 ? PoolRules.CheckSampleValues<float>(samples.IsSingle ? samples.Widened() : samples.Data) : PoolRules.CheckSampleValues<double>(samples.Data);
}

public sealed class PoolForwardRequestValidator : PoolRequestValidator<PoolForwardRequest>;

/// <summary>The forward rules, and gradOutput within float32's range (its shape is the plan's rule).</summary>
public sealed class PoolBackwardRequestValidator : PoolRequestValidator<PoolBackwardRequest>
{
    public PoolBackwardRequestValidator() =>
        RuleFor(r => r).Custom((request, context) => CommonRules.AddFloat32RangeFailures(context.AddFailure, "gradOutput", request.GradOutput, request.Dtype));
}
