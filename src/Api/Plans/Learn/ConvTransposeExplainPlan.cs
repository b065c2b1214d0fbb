using System.Collections.Immutable;
using ConvService.Api.Contracts;
using ConvService.Api.Hosting;
using ConvService.Domain.Convolution;
using ConvService.Domain.Explanation;
using ConvService.Domain.Tensors;

namespace ConvService.Api.Plans.Learn;

/// <summary>
/// One cell of a transposed convolution to explain (/conv/transpose/explain, /conv/transpose/backward/explain),
/// resolved once by /conv/transpose's rules (<see cref="ConvTransposeGeometry.TryCreate"/>), with the cost of that
/// cell's sum alone, counted on the equivalent forward convolution.
/// </summary>
/// <param name="Geometry">The transposed convolution's geometry (its equivalent forward convolution).</param>
/// <param name="Of">The output, or which gradient.</param>
/// <param name="Cell">The cell, in its tensor's rank.</param>
/// <param name="Dtype">The precision the sum is taken in.</param>
/// <param name="Cost">Work: the terms of the sum.</param>
public sealed record ConvTransposeExplainPlan(ConvTransposeGeometry Geometry, ExplainedTensor Of, ImmutableArray<int> Cell, DType Dtype, Cost Cost) : IPlan
{
    /// <summary>Plans the explanation of <paramref name="of"/> at <paramref name="cell"/>; gradOutput (when sent) must have the output's shape.</summary>
    public static PlanResult<ConvTransposeExplainPlan> Create(TensorShape input, TensorShape kernel, TensorShape? bias, TensorShape? gradOutput, ConvTransposeOptions options,
        DType dtype, ExplainedTensor of, int[] cell, ServiceLimits limits)
    {
        if (ConvTransposeGeometry.TryCreate(input, kernel, bias, options, out var problems) is not { } g)
            return PlanResult<ConvTransposeExplainPlan>.Failed(problems);
        if (gradOutput is { } grad && ConvRules.CheckGradOutput(g.OutputShape, grad) is { } gradProblem)
            return PlanResult<ConvTransposeExplainPlan>.Failed([gradProblem]);
        return For(g, of, [.. cell], bias is not null, dtype, ConvPlan.Elements(input, kernel, bias, gradOutput), limits);
    }

    /// <summary>The explanation of <paramref name="of"/> at <paramref name="at"/> of a transposed convolution already resolved: the cell's rules and the cost of its sum.</summary>
    public static PlanResult<ConvTransposeExplainPlan> For(ConvTransposeGeometry g, ExplainedTensor of, ImmutableArray<int> at, bool hasBias, DType dtype, long elementsIn, ServiceLimits limits)
    {
        if (CellRules.Check(of, at, hasBias, g.OutputShape, g.InputShape, g.KernelShape, g.OutChannels) is { } cellProblem)
            return PlanResult<ConvTransposeExplainPlan>.Failed([cellProblem]);
        var f = g.Forward;
        var (terms, why) = of switch
        {
            ExplainedTensor.Output => (ConvTaps.ReaderCount(f, PlaneCell.Of(f.Windows.Input.Form, f.SpatialDims, at.AsSpan())), "every input cell and tap that lands on it"),
            ExplainedTensor.GradInput => (ConvTaps.WindowSize(f), $"Cout/groups · Π K = {f.InChannelsPerGroup} · {f.Windows.KernelSizes}"),
            ExplainedTensor.GradKernel => (ConvTaps.UseCount(f), $"N · Π I = {f.Batch} · {f.Windows.OutputSizes}"),
            _ => ((long)f.Batch * f.Windows.InputPlaneLength, $"N · Π O = {f.Batch} · {string.Join('×', f.Windows.Input.Sizes.ToArray())}"),
        };
        if (CellRules.TooLong(terms, limits.MaxExplainTerms, CellRules.Name(of, at), why) is { } tooLong)
            return PlanResult<ConvTransposeExplainPlan>.Failed([tooLong]);
        return new ConvTransposeExplainPlan(g, of, at, dtype, new Cost(terms, elementsIn, 4 * terms));
    }
}
