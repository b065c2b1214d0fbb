using ConvService.Api.Contracts.Learn;
using ConvService.Api.Plans.Learn;

namespace ConvService.Api.Learn;

/// <summary>Writes a planned /shape stack: each layer's shapes, formulas and counts, then the totals.</summary>
public static class ShapeAnswers
{
    public static ShapeResponse Of(ShapePlan plan)
    {
        var layers = plan.Steps.Select(step => new ShapeLayerResult(step.Op, [.. step.Input.Dims], [.. step.Output.Dims], Formula(step), step.Parameters, step.MultiplyAdds, step.WindowReads)).ToList();
        var totals = new ShapeTotals(Saturated(plan.Steps.Select(s => s.Parameters)), Saturated(plan.Steps.Select(s => s.MultiplyAdds)));
        return new ShapeResponse([.. plan.Input.Dims], layers, [.. plan.Steps[^1].Output.Dims], totals);
    }

    private static IReadOnlyList<string> Formula(ShapeStep step) =>
        step.Conv is { } conv ? SizeFormulas.Conv(conv)
        : step.Transposed is { } transposed ? SizeFormulas.Transposed(transposed)
        : SizeFormulas.Pool(step.Pool!, step.PoolOptions!.Value);

    private static long Saturated(IEnumerable<long> values)
    {
        Int128 total = 0;
        foreach (var value in values)
            total += value;
        return total > long.MaxValue ? long.MaxValue : (long)total;
    }
}
