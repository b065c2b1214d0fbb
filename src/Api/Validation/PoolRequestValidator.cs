using ConvService.Api.Contracts;
using ConvService.Domain.Geometry;
using ConvService.Domain.Pooling;
using FluentValidation;

namespace ConvService.Api.Validation;

/// <summary>The mode of a /pool route, as endpoint metadata the validator reads from its root context data.</summary>
public sealed record PoolModeMetadata(PoolMode Mode) : IValidationContextItem
{
    public const string ContextKey = "poolMode";

    public string Key => ContextKey;
}

/// <summary>The rules of /pool/{mode}: a required input, then every rule of <see cref="PoolRules"/> for the route's mode.</summary>
public abstract class PoolRequestValidator<T> : AbstractValidator<T> where T : PoolRequest
{
    protected PoolRequestValidator()
    {
        RuleFor(r => r.Input).NotNull().WithMessage("input is required: a tensor of rank 2 (H, W), 3 (C, H, W) or 4 (N, C, H, W)");
        this.NoUnknownFields(r => r.UnknownFields);
        RuleFor(r => r).Custom((request, context) =>
        {
            if (request.Input is null || !context.RootContextData.TryGetValue(PoolModeMetadata.ContextKey, out var item) || item is not PoolModeMetadata mode)
                return;
            var problems = PoolRules.Check(mode.Mode, request.Input.Shape, request.ToOptions(), request.RandomSamples?.Shape);
            foreach (var problem in problems)
                context.AddFailure(problem.Parameter, problem.Message);
            if (request.RandomSamples is not null && SampleProblem(request.RandomSamples.Data, request.Dtype) is { } samples)
                context.AddFailure(samples.Parameter, samples.Message);
            CommonRules.AddFloat32RangeFailures(context.AddFailure, "input", request.Input, request.Dtype);
            if (problems.Count > 0)
                return;
            var geometry = PoolGeometry.Create(mode.Mode, request.Input.Shape, request.ToOptions(), request.RandomSamples?.Shape);
            var limits = ComputeBudget.LimitsOf(context);
            var field = request.OutputSize is null ? request.OutputRatio is null ? "kernelSize" : "outputRatio" : "outputSize";
            if (geometry.OutputShape.ElementCount > limits.MaxOutputElements)
                context.AddFailure(field, $"the output {geometry.OutputShape} would hold {geometry.OutputShape.ElementCount} elements; the limit is {limits.MaxOutputElements}");
            else if (geometry.WindowReads > limits.MaxMultiplyAdds)
                context.AddFailure(field, $"the windows over the output {geometry.OutputShape} read {geometry.WindowReads} input elements; the limit per request is {limits.MaxMultiplyAdds}");
            CheckMore(request, geometry, context.AddFailure);
        });
    }

    private static ParameterProblem? SampleProblem(ReadOnlySpan<double> samples, DType? dtype) =>
        dtype == DType.Float32 ? PoolRules.CheckSampleValues<float>(samples) : PoolRules.CheckSampleValues<double>(samples);

    /// <summary>Rules of a derived request that need the resolved geometry.</summary>
    protected virtual void CheckMore(T request, PoolGeometry geometry, Action<string, string> addFailure)
    {
    }
}

public sealed class PoolForwardRequestValidator : PoolRequestValidator<PoolForwardRequest>;

/// <summary>The forward rules plus a gradOutput of the output's shape.</summary>
public sealed class PoolBackwardRequestValidator : PoolRequestValidator<PoolBackwardRequest>
{
    protected override void CheckMore(PoolBackwardRequest request, PoolGeometry geometry, Action<string, string> addFailure)
    {
        if (request.GradOutput is null)
            return;
        if (PoolRules.CheckGradOutput(geometry.OutputShape, request.GradOutput.Shape) is { } problem)
            addFailure(problem.Parameter, problem.Message);
        CommonRules.AddFloat32RangeFailures(addFailure, "gradOutput", request.GradOutput, request.Dtype);
    }
}
