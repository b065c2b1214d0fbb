using System.Collections.Immutable;
using System.Numerics;

namespace ConvService.Domain.Explanation;

/// <summary>The tensor of a call a factor is read from.</summary>
public enum Operand
{
    Input,
    Kernel,
    GradOutput,
    Bias,
}

/// <summary>One factor of an explained term: the tensor it comes from, its index in that tensor's own rank, its value.</summary>
/// <param name="Of">The tensor read.</param>
/// <param name="Index">
/// The cell read, in the tensor's rank. For a padding cell of the input: the cell the padding copies (reflect, replicate,
/// circular), or the padded position itself, outside the input, for zero padding.
/// </param>
/// <param name="Value">The value read (0 for zero padding; 1 for an absent gradOutput, which means all ones).</param>
public sealed record Factor<T>(Operand Of, ImmutableArray<int> Index, T Value) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Whether the value was read from a padding cell (or, for a transposed convolution's gradOutput, a cell the padding crops).</summary>
    public bool Padded { get; init; }
}

/// <summary>One term of an explained sum: <c>Left·Right</c> (or <c>Left</c> alone), and where the input was read through the padding.</summary>
/// <param name="Left">The first factor, as the formula writes it.</param>
/// <param name="Right">The second factor, or null for a term of one factor (a bias gradient).</param>
/// <param name="Product">Left·Right in the call's precision.</param>
/// <param name="PaddedAt">
/// When the term's input position lies in the padding: that position in the input's coordinates (outside the input).
/// For the input's gradient, the padded copy of the cell through which the gradient flows back to it.
/// </param>
public sealed record Term<T>(Factor<T> Left, Factor<T>? Right, T Product, ImmutableArray<int>? PaddedAt = null)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public bool Padded => PaddedAt is not null;

    /// <summary>The term <c>left·right</c>, its product rounded to <typeparamref name="T"/>.</summary>
    public static Term<T> Of(Factor<T> left, Factor<T> right, ImmutableArray<int>? paddedAt = null) => new(left, right, left.Value * right.Value, paddedAt);

    /// <summary>A term of one factor (a bias gradient's gradOutput value).</summary>
    public static Term<T> Of(Factor<T> alone) => new(alone, null, alone.Value);
}

/// <summary>A cell explained as a sum: its terms in the order they are added, the bias added last, and the value.</summary>
/// <param name="Cell">The explained cell, in its tensor's rank.</param>
/// <param name="Terms">Every term, in order.</param>
/// <param name="Bias">The bias added after the terms, or null.</param>
/// <param name="Value">The sum of the products, then the bias, added in that order in the call's precision.</param>
public sealed record CellSum<T>(ImmutableArray<int> Cell, IReadOnlyList<Term<T>> Terms, Factor<T>? Bias, T Value)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The sum of <paramref name="terms"/>' products from zero in their order, then <paramref name="bias"/>, in <typeparamref name="T"/>.</summary>
    public static CellSum<T> Of(ImmutableArray<int> cell, IEnumerable<Term<T>> terms, Factor<T>? bias = null)
    {
        var list = terms.ToList();
        var sum = T.Zero;
        foreach (var term in list)
            sum += term.Product;
        return new CellSum<T>(cell, list, bias, bias is null ? sum : sum + bias.Value);
    }
}
