using System.Text.Json.Serialization;
using ConvService.Api.Json;

namespace ConvService.Api.Contracts.Learn;

/// <summary>
/// One term of an explained sum, its factors named for the tensors they come from: <c>input</c>/<c>x</c>,
/// <c>kernel</c>/<c>w</c>, <c>gradOutput</c>/<c>g</c> (indices in each tensor's own rank).
/// </summary>
public sealed record ExplainTerm
{
    /// <summary>The input cell read: for copied padding (reflect, replicate, circular) the cell it copies; for zero padding the padded position, outside the input.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int[]? Input { get; init; }

    /// <summary>The gradOutput cell's index.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int[]? GradOutput { get; init; }

    /// <summary>The kernel weight's index.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int[]? Kernel { get; init; }

    /// <summary>The input's value (0 in zero padding).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(LearnOptionalNumberConverter))]
    public double? X { get; init; }

    /// <summary>gradOutput's value (1 when gradOutput was not sent: all ones).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(LearnOptionalNumberConverter))]
    public double? G { get; init; }

    /// <summary>The weight.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(LearnOptionalNumberConverter))]
    public double? W { get; init; }

    /// <summary>The factors' product, in the request's dtype.</summary>
    [JsonConverter(typeof(LearnNumberConverter))]
    public double Product { get; init; }

    /// <summary>True when the input position lies in the padding (for gradInput: when the gradient flows back through a padding cell that copies this cell).</summary>
    public bool Padded { get; init; }

    /// <summary>When padded: the padded position, in the input's coordinates (outside the input).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int[]? Position { get; init; }
}

/// <summary>A convolution cell written out as the sum it is, with the output-size formulas and a teacher's notes.</summary>
/// <param name="Of">"output", "gradInput", "gradKernel" or "gradBias".</param>
/// <param name="Cell">The explained cell, in its tensor's rank.</param>
/// <param name="Value">The sum, in the request's dtype (the terms added in order, then the bias).</param>
/// <param name="Terms">Every term, in the order they are added.</param>
/// <param name="Bias">The bias added last, when the request sent one.</param>
/// <param name="Text">The sum as a teacher writes it: "4·4 + 5·3 + … = 109"; padding in square brackets; the middle elided above 64 terms.</param>
/// <param name="OutputSize">Per spatial axis, the output-size formula with the request's numbers.</param>
/// <param name="Notes">What the sum means, in words: the window, the padding, the chain rule, the bias.</param>
public sealed record SumExplanation(
    string Of,
    int[] Cell,
    [property: JsonConverter(typeof(LearnNumberConverter))] double Value,
    IReadOnlyList<ExplainTerm> Terms,
    [property: JsonConverter(typeof(LearnOptionalNumberConverter))] double? Bias,
    string Text,
    IReadOnlyList<string> OutputSize,
    IReadOnlyList<string> Notes);
