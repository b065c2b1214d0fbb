using System.Collections.Immutable;
using ConvService.Api.Contracts;
using ConvService.Api.Hosting;
using ConvService.Domain.Explanation;
using ConvService.Domain.Pooling;
using ConvService.Domain.Tensors;

namespace ConvService.Api.Plans.Learn;

/// <summary>
/// One cell of a pooling call to explain (/pool/{mode}/explain: an output cell; /pool/{mode}/backward/explain: an
/// input cell's gradient), resolved once by the route's own rules (<see cref="PoolGeometry.TryCreate"/>), with the cost
/// of that cell alone: its window's taps, or the windows that hold it times their taps.
/// </summary>
/// <param name="Geometry">The pooling call's geometry.</param>
/// <param name="Options">The options as sent (the output-size formulas show outputRatio and the like).</param>
/// <param name="Of">The output, or the input's gradient.</param>
/// <param name="Cell">The cell, in its tensor's rank.</param>
/// <param name="Dtype">The precision the reduction runs in.</param>
/// <param name="Cost">Work: the cells read.</param>
public sealed record PoolExplainPlan(PoolGeometry Geometry, PoolOptions Options, ExplainedTensor Of, ImmutableArray<int> Cell, DType Dtype, Cost Cost) : IPlan
{
    /// <summary>Plans the explanation of output cell <paramref name="cell"/> (<see cref="ExplainedTensor.Output"/>) or of the input gradient at it.</summary>
    public static PlanResult<PoolExplainPlan> Create(PoolCall call, TensorShape? gradOutput, ExplainedTensor of, int[] cell, ServiceLimits limits)
    {
        if (PoolGeometry.TryCreate(call.Mode, call.Input, call.Options, call.RandomSamples, out var problems) is not { } g)
            return PlanResult<PoolExplainPlan>.Failed(problems);
        if (gradOutput is { } grad && PoolRules.CheckGradOutput(g.OutputShape, grad) is { } gradProblem)
            return PlanResult<PoolExplainPlan>.Failed([gradProblem]);
        return For(g, call.Options, of, [.. cell], call.Dtype, ConvPlan.Elements(call.Input, call.RandomSamples, gradOutput), limits);
    }

    /// <summary>The explanation of <paramref name="of"/> at <paramref name="at"/> of a pooling call already resolved: the cell's rules and its cost.</summary>
    public static PlanResult<PoolExplainPlan> For(PoolGeometry g, PoolOptions options, ExplainedTensor of, ImmutableArray<int> at, DType dtype, long elementsIn, ServiceLimits limits)
    {
        var (shape, what) = of == ExplainedTensor.Output ? (g.OutputShape, "output") : (g.InputShape, "input (gradInput has its shape)");
        if (CellRules.Outside(at, shape, what) is { } outside)
            return PlanResult<PoolExplainPlan>.Failed([outside]);
        var (taps, holders) = PoolWindows.MostPerCell(g);
        var (terms, why) = of == ExplainedTensor.Output ? (taps, "the cells of its window") : (holders, "the windows that may hold it");
        if (CellRules.TooLong(terms, limits.MaxExplainTerms, CellRules.Name(of, at), why) is { } tooLong)
            return PlanResult<PoolExplainPlan>.Failed([tooLong]);
        var work = of == ExplainedTensor.Output ? taps : holders * taps;
        return new PoolExplainPlan(g, options, of, at, dtype, new Cost(work, elementsIn, 4 * terms));
    }
}
