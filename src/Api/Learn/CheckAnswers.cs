using System.Collections.Immutable;
using ConvService.Api.Contracts;
using ConvService.Api.Contracts.Learn;
using ConvService.Api.Hosting;
using ConvService.Api.Json;
using ConvService.Api.Plans;
using ConvService.Api.Plans.Learn;
using ConvService.Api.Wire;
using ConvService.Domain.Pooling;

namespace ConvService.Api.Learn;

/// <summary>
/// Grades a planned /check: runs the graded route's own handler, compares each given field cell by cell (shape first),
/// and explains the first wrong cells with the matching explain route's answer, built from the route's own plan.
/// </summary>
public static class CheckAnswers
{
    public static CheckResponse Grade(CheckPlan plan, ServiceLimits limits, CancellationToken cancellationToken)
    {
        var result = plan.Route.Compute(plan.Request, cancellationToken);
        var response = (result as IValueHttpResult)?.Value
            ?? throw new InvalidOperationException($"{plan.Route.Operation} answered {result.GetType().Name} for a request its rules accepted");
        using var owned = response as IDisposable;
        var expected = FieldsOf(response);
        var (wrong, shapes, graded, notes) = (new List<WrongCell>(), new Dictionary<string, int[]>(), new List<string>(), new List<string>());
        var (cells, wrongCount) = (0L, 0L);
        foreach (var field in plan.Route.Fields.Where(plan.Answer.ContainsKey))
        {
            var given = plan.Answer[field];
            if (expected.GetValueOrDefault(field) is not { } tensor)
            {
                notes.Add($"{field} is not graded: {plan.Route.Operation} gives no {field} for this request");
                continue;
            }
            graded.Add(field);
            if (!given.Shape.Equals(tensor.Shape))
            {
                shapes[field] = [.. tensor.Shape.Dims];
                notes.Add($"{field} has shape {given.Shape}, but {plan.Route.Operation} answers {tensor.Shape}: its cells are not graded");
                continue;
            }
            var values = tensor.Values();
            var answers = given.Data;
            var tolerance = field == "indices" ? 0 : plan.Tolerance;
            for (var i = 0; i < values.Length; i++)
            {
                cells++;
                if (Right(values[i], answers[i], tolerance))
                    continue;
                wrongCount++;
                if (wrong.Count >= limits.MaxExplainTerms)
                    continue;
                var index = Unravel(i, tensor.Shape.Dims);
                var explanation = wrong.Count < CheckPlan.ExplainedCells ? Explain(plan, field, index, expected, limits) : null;
                wrong.Add(new WrongCell(field, [.. index], values[i], answers[i], explanation));
            }
        }
        if (wrongCount > wrong.Count)
            notes.Add($"{LearnText.Count(wrongCount)} cells are wrong; the first {LearnText.Count(wrong.Count)} are listed (Limits:MaxExplainTerms).");
        notes.Add($"A value counts as right within {LearnText.Number(plan.Tolerance)}·max(1, |expected|){(graded.Contains("indices") ? "; indices must be exact" : "")}.");
        return new CheckResponse(graded.Count > 0 && shapes.Count == 0 && wrongCount == 0, cells, wrongCount, wrong, shapes.Count > 0 ? shapes : null, graded, notes);
    }

    private static bool Right(double expected, double given, double tolerance) =>
        expected.Equals(given) || Math.Abs(expected - given) <= tolerance * Math.Max(1, Math.Abs(expected));

    /// <summary>The explanation of a wrong cell, as its explain route gives it; null when its sum is longer than an explanation lists.</summary>
    private static object? Explain(CheckPlan plan, string field, ImmutableArray<int> cell, IReadOnlyDictionary<string, TensorResult?> expected, ServiceLimits limits)
    {
        var single = plan.Dtype == DType.Float32;
        switch (plan.Request)
        {
            case ConvRequest conv when plan.Request.Plan is ConvPlan convPlan:
                var gradOutput = (conv as ConvBackwardRequest)?.GradOutput;
                var explain = ConvExplainPlan.For(convPlan.Geometry, Of(field), cell, conv.Bias is not null, plan.Dtype, 0, limits).Plan;
                return explain is null ? null : single
                    ? ConvExplanations.Explain<float>(explain, conv.Input!, conv.Kernel!, conv.Bias, gradOutput)
                    : ConvExplanations.Explain<double>(explain, conv.Input!, conv.Kernel!, conv.Bias, gradOutput);
            case ConvTransposeRequest transposed when plan.Request.Plan is ConvTransposePlan transposePlan:
                var transposedGrad = (transposed as ConvTransposeBackwardRequest)?.GradOutput;
                var explainTransposed = ConvTransposeExplainPlan.For(transposePlan.Geometry, Of(field), cell, transposed.Bias is not null, plan.Dtype, 0, limits).Plan;
                return explainTransposed is null ? null : single
                    ? ConvExplanations.Explain<float>(explainTransposed, transposed.Input!, transposed.Kernel!, transposed.Bias, transposedGrad)
                    : ConvExplanations.Explain<double>(explainTransposed, transposed.Input!, transposed.Kernel!, transposed.Bias, transposedGrad);
            case PoolRequest pool when plan.Request.Plan is PoolPlan poolPlan && field != "randomSamples":
                var of = field == "gradInput" ? ExplainedTensor.GradInput : ExplainedTensor.Output;
                var explainPool = PoolExplainPlan.For(poolPlan.Geometry, pool.ToOptions(), of, cell, plan.Dtype, 0, limits).Plan;
                if (explainPool is null)
                    return null;
                using (var drawn = DrawnSamples(pool, poolPlan, expected))
                {
                    var samples = pool.RandomSamples ?? drawn;
                    return of == ExplainedTensor.Output
                        ? single ? PoolExplanations.Output<float>(explainPool, pool.Input!, samples) : PoolExplanations.Output<double>(explainPool, pool.Input!, samples)
                        : single ? PoolExplanations.GradInput<float>(explainPool, pool.Input!, (pool as PoolBackwardRequest)?.GradOutput, samples)
                                 : PoolExplanations.GradInput<double>(explainPool, pool.Input!, (pool as PoolBackwardRequest)?.GradOutput, samples);
                }
            default:
                return null;
        }
    }

    // fractional-max forward without samples: explain with the samples the route drew (its answer returns them).
    private static RequestTensor? DrawnSamples(PoolRequest request, PoolPlan plan, IReadOnlyDictionary<string, TensorResult?> expected) =>
        plan.Geometry.Mode == PoolMode.FractionalMax && request.RandomSamples is null && expected.GetValueOrDefault("randomSamples") is { } samples
            ? RequestTensor.From(samples.Shape, samples.Values())
            : null;

    private static ExplainedTensor Of(string field) => field == "output" ? ExplainedTensor.Output : ExplainedTensors.GradientOf(field)!.Value;

    private static IReadOnlyDictionary<string, TensorResult?> FieldsOf(object response) =>
        (response as ITensorResponse ?? throw new InvalidOperationException($"{response.GetType().Name} is not a response of tensors"))
        .Tensors.ToDictionary(t => t.Name, t => (TensorResult?)t.Tensor);

    private static ImmutableArray<int> Unravel(long offset, ImmutableArray<int> shape)
    {
        var cell = new int[shape.Length];
        for (var a = shape.Length - 1; a >= 0; a--)
            (cell[a], offset) = ((int)(offset % shape[a]), offset / shape[a]);
        return [.. cell];
    }
}
