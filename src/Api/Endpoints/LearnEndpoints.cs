using ConvService.Api.Contracts.Learn;
using ConvService.Api.Hosting;
using ConvService.Api.Learn;
using ConvService.Api.OpenApi;
using ConvService.Api.Plans;
using ConvService.Api.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Endpoints;

/// <summary>Learn mode's routes outside the operator groups: POST /shape (a stack's shapes without data) and POST /check (grading an answer).</summary>
public static class LearnEndpoints
{
    public static IEndpointRouteBuilder MapLearn(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("")
            .WithTags("Learn")
            .WithRequestValidation()
            .WithComputeSlot()
            .ProducesValidationProblem();

        group.MapPost(Routes.Shape, Shape)
            .WithName(nameof(Shape))
            .WithSummary("The shapes of a layer stack, without data: per layer the formula, parameters and multiply-adds")
            .WithDescription("input: a shape (a plane [5, 5], unbatched or batched, as the operators read it) and spatialDims; layers: conv (outChannels, kernelSize, stride, padding, dilation, groups, bias default true, paddingMode), " +
                             "conv-transpose (those and outputPadding, outputSize) or a pool mode with its /pool fields. Each layer is checked by its route's rules; a layer that no longer fits is a 400 naming layers[i].field with the numbers.")
            .WithRequestExamples(LearnExamples.Shape);

        group.MapPost(Routes.Check, Check)
            .WithName(nameof(Check))
            .WithSummary("Grade an answer to any conv or pool route, cell by cell, with the wrong cells explained")
            .WithDescription("operation: the route (\"/conv/forward\", \"/pool/max/backward\", …); request: its body; answer: shaped like its response (the fields given are graded); tolerance: default 1e-6, " +
                             "a value counts as right within tolerance·max(1, |expected|). Answers correct, cells, wrongCount, wrong (field, index, expected, given, and for the first 20 the explain route's answer) " +
                             "and, for a field of the wrong shape, expectedShape. Costs at most twice the graded route.")
            .WithRequestExamples(LearnExamples.Check)
            .WithTensorLifetime();
        return app;
    }

    public static Results<Ok<ShapeResponse>, ValidationProblem> Shape(ShapeRequest request) => TypedResults.Ok(ShapeAnswers.Of(request.RequirePlan()));

    public static Results<Ok<CheckResponse>, ValidationProblem> Check(CheckRequest request, IOptions<ServiceLimits> limits, CancellationToken cancellationToken)
    {
        var plan = request.RequirePlan();
        using var timing = ComputeMetrics.Measure("check");
        return TypedResults.Ok(CheckAnswers.Grade(plan, limits.Value, cancellationToken));
    }
}
