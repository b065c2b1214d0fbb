using System.Collections.Immutable;
using ConvService.Api.Contracts;
using ConvService.Api.Hosting;
using ConvService.Domain.Convolution;
using ConvService.Domain.Explanation;
using ConvService.Domain.Tensors;

namespace ConvService.Api.Plans.Learn;

/// <summary>
/// One cell of a convolution to explain (/conv/explain, /conv/backward/explain), resolved once: the call's geometry by
/// the same rules as /conv/forward (<see cref="ConvGeometry.TryCreate"/>), which tensor and cell, and the cost of the
/// cell's sum alone — its terms, counted from <see cref="ConvTaps"/> before anything is enumerated.
/// </summary>
/// <param name="Geometry">The convolution's geometry.</param>
/// <param name="Of">The output, or which gradient.</param>
/// <param name="Cell">The cell, in its tensor's rank.</param>
/// <param name="Dtype">The precision the sum is taken in.</param>
/// <param name="Cost">Work: the terms of the sum.</param>
public sealed record ConvExplainPlan(ConvGeometry Geometry, ExplainedTensor Of, ImmutableArray<int> Cell, DType Dtype, Cost Cost) : IPlan
{
    /// <summary>Plans the explanation of output cell <paramref name="cell"/>.</summary>
    public static PlanResult<ConvExplainPlan> Output(TensorShape input, TensorShape kernel, TensorShape? bias, ConvOptions options, DType dtype, int[] cell, ServiceLimits limits) =>
        Create(input, kernel, bias, null, options, dtype, ExplainedTensor.Output, [.. cell], limits);

    /// <summary>Plans the explanation of gradient <paramref name="of"/> at <paramref name="cell"/>; gradOutput (when sent) must have the output's shape.</summary>
    public static PlanResult<ConvExplainPlan> Gradient(TensorShape input, TensorShape kernel, TensorShape? bias, TensorShape? gradOutput, ConvOptions options, DType dtype,
        ExplainedTensor of, int[] cell, ServiceLimits limits) =>
        Create(input, kernel, bias, gradOutput, options, dtype, of, [.. cell], limits);

    private static PlanResult<ConvExplainPlan> Create(TensorShape input, TensorShape kernel, TensorShape? bias, TensorShape? gradOutput, ConvOptions options, DType dtype,
        ExplainedTensor of, ImmutableArray<int> cell, ServiceLimits limits)
    {
        if (ConvGeometry.TryCreate(input, kernel, bias, options, out var problems) is not { } g)
            return PlanResult<ConvExplainPlan>.Failed(problems);
        if (gradOutput is { } grad && ConvRules.CheckGradOutput(g.OutputShape, grad) is { } gradProblem)
            return PlanResult<ConvExplainPlan>.Failed([gradProblem]);
        return For(g, of, cell, bias is not null, dtype, ConvPlan.Elements(input, kernel, bias, gradOutput), limits);
    }

    /// <summary>
    /// The explanation of <paramref name="of"/> at <paramref name="cell"/> of a convolution already resolved (by this
    /// plan's request, or by the route /check grades): the cell's rules and the cost of its sum.
    /// </summary>
    public static PlanResult<ConvExplainPlan> For(ConvGeometry g, ExplainedTensor of, ImmutableArray<int> cell, bool hasBias, DType dtype, long elementsIn, ServiceLimits limits)
    {
        if (CellRules.Check(of, cell, hasBias, g.OutputShape, g.InputShape, g.KernelShape, g.OutChannels) is { } cellProblem)
            return PlanResult<ConvExplainPlan>.Failed([cellProblem]);
        var (terms, why) = of switch
        {
            ExplainedTensor.Output => (ConvTaps.WindowSize(g), $"C/groups · Π K = {g.InChannelsPerGroup} · {g.Windows.KernelSizes}"),
            ExplainedTensor.GradInput => (ConvTaps.ReaderCount(g, PlaneCell.Of(g.Windows.Input.Form, g.SpatialDims, cell.AsSpan())), "every output cell and tap that reads it"),
            _ => (ConvTaps.UseCount(g), $"N · Π O = {g.Batch} · {g.Windows.OutputSizes}"),
        };
        if (CellRules.TooLong(terms, limits.MaxExplainTerms, CellRules.Name(of, cell), why) is { } tooLong)
            return PlanResult<ConvExplainPlan>.Failed([tooLong]);
        return new ConvExplainPlan(g, of, cell, dtype, new Cost(terms, elementsIn, 4 * terms));
    }
}
