using System.Numerics;
using ConvService.Api.Contracts;
using ConvService.Api.Contracts.Learn;
using ConvService.Api.Plans.Learn;
using ConvService.Api.Wire;
using ConvService.Domain.Explanation;
using ConvService.Domain.Pooling;
using ConvService.Domain.Tensors;

namespace ConvService.Api.Learn;

/// <summary>
/// Writes a pooling cell (<see cref="PoolExplain"/>) the way a teacher writes it: the window's cells, the rule with its
/// numbers (max and its winner, the sum over the divisor and why, lp's formula), the window bounds and the output size.
/// </summary>
public static class PoolExplanations
{
    /// <summary>An output cell of /pool/{mode}: fractional-max windows placed by the request's samples, or by those its seed draws.</summary>
    public static PoolExplanationResponse Output<T>(PoolExplainPlan plan, RequestTensor input, RequestTensor? samples) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var x = input.ToTensor<T>();
        using var given = samples?.ToTensor<T>();
        using var drawn = Drawn(plan, given);
        var explained = PoolExplain.Output(plan.Geometry, x, given ?? drawn, plan.Cell.AsSpan());
        return Write(plan, explained);
    }

    /// <summary>An input cell's gradient, as /pool/{mode}/backward computes it.</summary>
    public static PoolGradientResponse GradInput<T>(PoolExplainPlan plan, RequestTensor input, RequestTensor? gradOutput, RequestTensor? samples) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var x = input.ToTensor<T>();
        using var g = gradOutput?.ToTensor<T>();
        using var given = samples?.ToTensor<T>();
        using var drawn = Drawn(plan, given);
        var gradient = PoolExplain.GradInput(plan.Geometry, x, g, given ?? drawn, plan.Cell.AsSpan());
        return PoolNotes.Gradient(plan, gradient, gradOutput is null);
    }

    /// <summary>The response for an explained output cell.</summary>
    public static PoolExplanationResponse Write<T>(PoolExplainPlan plan, PoolExplanation<T> e) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (g, reduction) = (plan.Geometry, plan.Geometry.Mode.Reduction());
        var terms = e.Cells.Select((c, i) => new PoolTerm
        {
            Input = [.. c.Index],
            X = LearnText.Widen(c.Value),
            Kind = c.Kind switch { PoolCellKind.Inside => "inside", PoolCellKind.Padding => "padding", _ => "past-edge" },
            Padded = c.Kind != PoolCellKind.Inside,
            Power = reduction == PoolReduction.PowerMean ? LearnText.Widen(e.Powers[i]) : null,
        }).ToList();
        var notes = PoolNotes.Of(plan, e);
        if (plan.Dtype == DType.Float32)
            notes.Add("dtype float32: each step is rounded to float32, and the numbers are written as float32 values.");
        return new PoolExplanationResponse
        {
            Mode = g.Mode.WireName(),
            Cell = [.. e.Cell],
            Value = LearnText.Widen(e.Value),
            Terms = terms,
            Text = PoolNotes.Text(plan, e),
            Rule = PoolNotes.Rule(plan),
            Winner = reduction == PoolReduction.Max && e.Winner >= 0 ? [.. e.Cells[e.Winner].Index] : null,
            Index = reduction == PoolReduction.Max && e.Winner >= 0 ? e.WinnerOffset : null,
            Sum = reduction == PoolReduction.Max ? null : LearnText.Widen(e.Sum),
            Divisor = reduction == PoolReduction.Max ? null : e.Divisor,
            DivisorReason = reduction == PoolReduction.Mean ? PoolNotes.DivisorReason(plan, e.Window) : null,
            Bounds = PoolNotes.Bounds(plan, e.Window),
            Samples = g.Mode == PoolMode.FractionalMax ? [.. e.Window.Samples] : null,
            OutputSize = SizeFormulas.Pool(plan.Geometry, plan.Options),
            Notes = notes,
        };
    }

    // fractional-max without samples in the request: draw them as the route does (from the seed, when sent).
    private static Tensor<T>? Drawn<T>(PoolExplainPlan plan, Tensor<T>? given) where T : unmanaged, IFloatingPointIeee754<T> =>
        plan.Geometry.Mode == PoolMode.FractionalMax && given is null ? PoolExplain.DrawSamples<T>(plan.Geometry, plan.Options.Seed) : null;
}
