using ConvService.Api.Contracts;
using ConvService.Api.Contracts.Learn;
using ConvService.Api.Hosting;
using ConvService.Api.Learn;
using ConvService.Api.OpenApi;
using ConvService.Api.Plans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ConvService.Api.Endpoints;

/// <summary>
/// Learn mode on the /conv group: POST /conv/explain, /conv/backward/explain, /conv/transpose/explain and
/// /conv/transpose/backward/explain write one cell out as the sum it is (terms, text, output-size formulas, notes).
/// </summary>
public static class ConvExplainEndpoints
{
    private const string Answer = "Answers value, terms (one per multiply, factors named input/x, kernel/w, gradOutput/g, padded cells marked), text (the sum written out), outputSize (per axis, the formula with the numbers) and notes.";

    public static RouteGroupBuilder MapConvExplain(this RouteGroupBuilder group)
    {
        group.MapPost("/explain", Explain)
            .WithName(nameof(Explain))
            .WithSummary("Explain one output cell of a convolution: its window, every product, the sum written out")
            .WithDescription("A /conv/forward body plus cell (an index into the output, in its rank). " + Answer + " The seed's cell [0, 0] is 4·4 + 5·3 + 2·3 + 3·5 + 3·5 + 2·5 + 4·2 + 3·4 + 4·3 = 109.")
            .WithRequestExamples(LearnExamples.ConvExplain);

        group.MapPost("/backward/explain", BackwardExplain)
            .WithName(nameof(BackwardExplain))
            .WithSummary("Explain one cell of a convolution's gradient by the chain rule")
            .WithDescription("A /conv/backward body plus of (gradInput, gradKernel or gradBias) and cell (an index into that gradient). " + Answer + " The seed's gradInput[1, 1] is 1·5 + 1·5 + 1·3 + 1·4 = 17.")
            .WithRequestExamples(LearnExamples.ConvBackwardExplain);

        group.MapPost("/transpose/explain", TransposeExplain)
            .WithName(nameof(TransposeExplain))
            .WithSummary("Explain one output cell of a transposed convolution: the input cells and weights that land on it")
            .WithDescription("A /conv/transpose body plus cell. " + Answer)
            .WithRequestExamples(LearnExamples.ConvTransposeExplain);

        group.MapPost("/transpose/backward/explain", TransposeBackwardExplain)
            .WithName(nameof(TransposeBackwardExplain))
            .WithSummary("Explain one cell of a transposed convolution's gradient")
            .WithDescription("A /conv/transpose/backward body plus of (gradInput, gradKernel or gradBias) and cell. " + Answer)
            .WithRequestExamples(LearnExamples.ConvTransposeBackwardExplain);
        return group;
    }

    public static Results<Ok<SumExplanation>, ValidationProblem> Explain(ConvExplainRequest request)
    {
        var plan = request.RequirePlan();
        using var timing = ComputeMetrics.Measure("conv.explain");
        return TypedResults.Ok(plan.Dtype == DType.Float32
            ? ConvExplanations.Explain<float>(plan, request.Input!, request.Kernel!, request.Bias, null)
            : ConvExplanations.Explain<double>(plan, request.Input!, request.Kernel!, request.Bias, null));
    }

    public static Results<Ok<SumExplanation>, ValidationProblem> BackwardExplain(ConvBackwardExplainRequest request)
    {
        var plan = request.RequirePlan();
        using var timing = ComputeMetrics.Measure("conv.backward.explain");
        return TypedResults.Ok(plan.Dtype == DType.Float32
            ? ConvExplanations.Explain<float>(plan, request.Input!, request.Kernel!, request.Bias, request.GradOutput)
            : ConvExplanations.Explain<double>(plan, request.Input!, request.Kernel!, request.Bias, request.GradOutput));
    }

    public static Results<Ok<SumExplanation>, ValidationProblem> TransposeExplain(ConvTransposeExplainRequest request)
    {
        var plan = request.RequirePlan();
        using var timing = ComputeMetrics.Measure("conv.transpose.explain");
        return TypedResults.Ok(plan.Dtype == DType.Float32
            ? ConvExplanations.Explain<float>(plan, request.Input!, request.Kernel!, request.Bias, null)
            : ConvExplanations.Explain<double>(plan, request.Input!, request.Kernel!, request.Bias, null));
    }

    public static Results<Ok<SumExplanation>, ValidationProblem> TransposeBackwardExplain(ConvTransposeBackwardExplainRequest request)
    {
        var plan = request.RequirePlan();
        using var timing = ComputeMetrics.Measure("conv.transpose.backward.explain");
        return TypedResults.Ok(plan.Dtype == DType.Float32
            ? ConvExplanations.Explain<float>(plan, request.Input!, request.Kernel!, request.Bias, request.GradOutput)
            : ConvExplanations.Explain<double>(plan, request.Input!, request.Kernel!, request.Bias, request.GradOutput));
    }
}
