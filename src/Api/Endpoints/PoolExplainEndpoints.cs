using ConvService.Api.Contracts;
using ConvService.Api.Contracts.Learn;
using ConvService.Api.Hosting;
using ConvService.Api.Json;
using ConvService.Api.Learn;
using ConvService.Api.OpenApi;
using ConvService.Api.Plans;
using ConvService.Domain.Pooling;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ConvService.Api.Endpoints;

/// <summary>
/// Learn mode on the /pool group: POST /pool/{mode}/explain (an output cell's window and the rule that gives its value)
/// and /pool/{mode}/backward/explain (which output cells send gradient to an input cell, and how much), every mode.
/// </summary>
public static class PoolExplainEndpoints
{
    public static RouteGroupBuilder MapPoolExplain(this RouteGroupBuilder group)
    {
        foreach (var mode in Enum.GetValues<PoolMode>())
        {
            var name = WireNames<PoolMode>.NameOf(mode);
            group.MapPost($"/{name}/explain", Explain)
                .WithName($"{mode}PoolExplain")
                .WithSummary($"Explain one output cell of {name} pooling: its window, its cells and the rule that gives its value")
                .WithDescription($"A /pool/{name} body plus cell (an index into the output). Answers value, terms (the window's cells, padded ones marked), text (the rule with the numbers), " +
                                 "rule, winner and index (max modes), sum, divisor and divisorReason (mean modes), bounds (per axis; adaptive and fractional with their formula), samples (fractional-max), outputSize and notes.")
                .WithMetadata(new PoolModeMetadata(mode))
                .WithRequestExamples(() => LearnExamples.PoolExplain(mode));
            group.MapPost($"/{name}/backward/explain", BackwardExplain)
                .WithName($"{mode}PoolBackwardExplain")
                .WithSummary($"Explain one cell of {name} pooling's input gradient: which output cells send gradient to it, and how much")
                .WithDescription($"A /pool/{name}/backward body plus cell (an index into the input). Answers value, terms (one per output cell whose window holds the cell: g, derivative, share, sends), text and notes.")
                .WithMetadata(new PoolModeMetadata(mode))
                .WithRequestExamples(() => LearnExamples.PoolBackwardExplain(mode));
        }
        group.MapPost("/{mode}/explain", PoolingEndpoints.UnknownMode).ExcludeFromDescription();
        group.MapPost("/{mode}/backward/explain", PoolingEndpoints.UnknownMode).ExcludeFromDescription();
        return group;
    }

    public static Results<Ok<PoolExplanationResponse>, ValidationProblem> Explain(PoolExplainRequest request)
    {
        var plan = request.RequirePlan();
        using var timing = ComputeMetrics.Measure($"pool.{plan.Geometry.Mode.WireName()}.explain");
        return TypedResults.Ok(plan.Dtype == DType.Float32
            ? PoolExplanations.Output<float>(plan, request.Input!, request.RandomSamples)
            : PoolExplanations.Output<double>(plan, request.Input!, request.RandomSamples));
    }

    public static Results<Ok<PoolGradientResponse>, ValidationProblem> BackwardExplain(PoolBackwardExplainRequest request)
    {
        var plan = request.RequirePlan();
        using var timing = ComputeMetrics.Measure($"pool.{plan.Geometry.Mode.WireName()}.backward.explain");
        return TypedResults.Ok(plan.Dtype == DType.Float32
            ? PoolExplanations.GradInput<float>(plan, request.Input!, request.GradOutput, request.RandomSamples)
            : PoolExplanations.GradInput<double>(plan, request.Input!, request.GradOutput, request.RandomSamples));
    }
}
