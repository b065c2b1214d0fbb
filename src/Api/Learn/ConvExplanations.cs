using System.Numerics;
using ConvService.Api.Contracts;
using ConvService.Api.Contracts.Learn;
using ConvService.Api.Plans.Learn;
using ConvService.Api.Wire;
using ConvService.Domain.Explanation;
using ConvService.Domain.Tensors;

namespace ConvService.Api.Learn;

/// <summary>
/// Writes a convolution cell's sum (<see cref="ConvExplain"/>, <see cref="ConvTransposeExplain"/>) the way a teacher
/// writes it on the board: the terms in order, the sum written out, the output-size formulas and what it all means.
/// </summary>
public static class ConvExplanations
{
    /// <summary>A cell of /conv/forward or one of /conv/backward's gradients.</summary>
    public static SumExplanation Explain<T>(ConvExplainPlan plan, RequestTensor input, RequestTensor kernel, RequestTensor? bias, RequestTensor? gradOutput)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (g, cell) = (plan.Geometry, plan.Cell.ToArray());
        var sum = Sum<T>(input, kernel, bias, gradOutput, (x, w, b, dy) => plan.Of switch
        {
            ExplainedTensor.Output => ConvExplain.Output(g, x, w, b, cell),
            ExplainedTensor.GradInput => ConvExplain.GradInput(g, w, dy, cell),
            ExplainedTensor.GradKernel => ConvExplain.GradKernel(g, x, dy, cell),
            _ => ConvExplain.GradBias(g, dy, cell),
        });
        return Write(plan.Of, sum, SizeFormulas.Conv(g), ConvNotes.Of(plan, sum, gradOutput is null), plan.Dtype);
    }

    /// <summary>A cell of /conv/transpose or one of /conv/transpose/backward's gradients.</summary>
    public static SumExplanation Explain<T>(ConvTransposeExplainPlan plan, RequestTensor input, RequestTensor kernel, RequestTensor? bias, RequestTensor? gradOutput)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (g, cell) = (plan.Geometry, plan.Cell.ToArray());
        var sum = Sum<T>(input, kernel, bias, gradOutput, (x, w, b, dy) => plan.Of switch
        {
            ExplainedTensor.Output => ConvTransposeExplain.Output(g, x, w, b, cell),
            ExplainedTensor.GradInput => ConvTransposeExplain.GradInput(g, w, dy, cell),
            ExplainedTensor.GradKernel => ConvTransposeExplain.GradKernel(g, x, dy, cell),
            _ => ConvTransposeExplain.GradBias(g, dy, cell),
        });
        return Write(plan.Of, sum, SizeFormulas.Transposed(g), ConvNotes.OfTransposed(plan, sum, gradOutput is null), plan.Dtype);
    }

    // The request's tensors in the plan's precision, handed to the Domain's explanation.
    private static CellSum<T> Sum<T>(RequestTensor input, RequestTensor kernel, RequestTensor? bias, RequestTensor? gradOutput, Func<Tensor<T>, Tensor<T>, Tensor<T>?, Tensor<T>?, CellSum<T>> explain)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var x = input.ToTensor<T>();
        using var w = kernel.ToTensor<T>();
        using var b = bias?.ToTensor<T>();
        using var dy = gradOutput?.ToTensor<T>();
        return explain(x, w, b, dy);
    }

    /// <summary>The response: terms named for their tensors, the sum written out, the formulas and notes.</summary>
    public static SumExplanation Write<T>(ExplainedTensor of, CellSum<T> sum, IReadOnlyList<string> outputSize, IReadOnlyList<string> notes, DType dtype)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var terms = sum.Terms;
        var count = terms.Count + (sum.Bias is null ? 0 : 1);
        var text = LearnText.Sum(count, i => i < terms.Count ? TermText(terms[i]) : LearnText.Factor(LearnText.Widen(sum.Bias!.Value)), LearnText.Number(LearnText.Widen(sum.Value)));
        var allNotes = notes.ToList();
        if (count > LearnText.ShownTerms)
            allNotes.Add($"The text shows the first {LearnText.ShownTerms / 2} and the last {LearnText.ShownTerms / 2} of the {LearnText.Count(count)} terms; terms lists every one.");
        if (dtype == DType.Float32)
            allNotes.Add("dtype float32: each product and each partial sum is rounded to float32, and the numbers are written as float32 values; the compute route adds the same products in another order, so its last digit may differ.");
        return new SumExplanation(of.Name(), [.. sum.Cell], LearnText.Widen(sum.Value), [.. terms.Select(Term)],
            sum.Bias is null ? null : LearnText.Widen(sum.Bias.Value), text, outputSize, allNotes);
    }

    private static ExplainTerm Term<T>(Term<T> term) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new ExplainTerm { Product = LearnText.Widen(term.Product), Padded = term.Padded, Position = term.PaddedAt is { } at ? [.. at] : null };
        foreach (var factor in term.Right is null ? [term.Left] : new[] { term.Left, term.Right })
        {
            int[] index = [.. factor.Index];
            var value = LearnText.Widen(factor.Value);
            result = factor.Of switch
            {
                Operand.Input => result with { Input = index, X = value },
                Operand.Kernel => result with { Kernel = index, W = value },
                _ => result with { GradOutput = index, G = value },
            };
        }
        return result;
    }

    // x·w; a factor read from the padding in square brackets; a product that reaches the cell through a padding copy bracketed whole.
    private static string TermText<T>(Term<T> term) where T : unmanaged, IFloatingPointIeee754<T>
    {
        static string Factor(Factor<T> factor) => factor.Padded ? $"[{LearnText.Number(LearnText.Widen(factor.Value))}]" : LearnText.Factor(LearnText.Widen(factor.Value));
        if (term.Right is null)
            return Factor(term.Left);
        var product = $"{Factor(term.Left)}·{Factor(term.Right)}";
        return term.Padded && !term.Left.Padded && !term.Right.Padded ? $"[{product}]" : product;
    }
}
