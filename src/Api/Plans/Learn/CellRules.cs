using System.Collections.Immutable;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Api.Plans.Learn;

/// <summary>The rules an explained cell keeps: an index of its tensor, and a sum short enough to list.</summary>
public static class CellRules
{
    /// <summary>
    /// The problem with explaining <paramref name="of"/> at <paramref name="cell"/> of a convolution (plain or transposed)
    /// with these shapes: a bias gradient without a bias, or a cell outside its tensor.
    /// </summary>
    public static ParameterProblem? Check(ExplainedTensor of, ImmutableArray<int> cell, bool hasBias, TensorShape output, TensorShape input, TensorShape kernel, int outChannels)
    {
        if (of == ExplainedTensor.GradBias && !hasBias)
            return new("of", "gradBias is the gradient of the bias: send bias (its gradient is Σ gradOutput per output channel, as the backward route returns it)");
        var (shape, what) = of switch
        {
            ExplainedTensor.Output => (output, "output"),
            ExplainedTensor.GradInput => (input, "input (gradInput has its shape)"),
            ExplainedTensor.GradKernel => (kernel, "kernel (gradKernel has its shape)"),
            _ => (new TensorShape(outChannels), "bias (gradBias has its shape)"),
        };
        return Outside(cell, shape, what);
    }

    /// <summary>"cell [3, 0] lies outside the output, of shape 3×3: …", or null when <paramref name="cell"/> indexes <paramref name="shape"/>.</summary>
    public static ParameterProblem? Outside(ImmutableArray<int> cell, TensorShape shape, string what)
    {
        var shown = $"[{string.Join(", ", cell)}]";
        if (cell.Length != shape.Rank)
            return new("cell", $"cell {shown} has {cell.Length} {(cell.Length == 1 ? "index" : "indices")}, but the {what} has shape {shape}: rank {shape.Rank}, one index per dimension");
        for (var axis = 0; axis < cell.Length; axis++)
        {
            if ((uint)cell[axis] >= (uint)shape[axis])
                return new("cell", $"cell {shown} lies outside the {what}, of shape {shape}: index {axis} is {cell[axis]}, and must lie in [0, {shape[axis] - 1}]");
        }
        return null;
    }

    /// <summary>The problem with a sum of <paramref name="terms"/> terms past the limit, with a smaller problem to try.</summary>
    public static ParameterProblem? TooLong(long terms, int limit, string cell, string why)
    {
        if (terms <= limit)
            return null;
        return new("cell", $"{cell} is a sum of {terms:N0} terms ({why}), more than an explanation lists (Limits:MaxExplainTerms = {limit:N0}): " +
                           "explain a cell of a smaller problem (fewer batches, channels or cells), or ask the compute route for the value alone");
    }

    /// <summary>"gradInput[1, 1]".</summary>
    public static string Name(ExplainedTensor tensor, ImmutableArray<int> cell) => $"{tensor.Name()}[{string.Join(", ", cell)}]";
}
