using System.Text.Json.Serialization;
using ConvService.Api.Json;

namespace ConvService.Api.Contracts.Learn;

/// <summary>One cell of a pooling window.</summary>
public sealed record PoolTerm
{
    /// <summary>The input cell, in the input's rank; for a cell outside the input, its position (in the padding, or past the edge).</summary>
    public required int[] Input { get; init; }

    /// <summary>Its value: the input's inside; −∞ (max) or 0 (avg) in the padding; 0 past the edge, where nothing is read.</summary>
    [JsonConverter(typeof(LearnNumberConverter))]
    public double X { get; init; }

    /// <summary>"inside", "padding" or "past-edge" (a ceil-mode window cut at the padded input's edge).</summary>
    public required string Kind { get; init; }

    /// <summary>True outside the input.</summary>
    public bool Padded { get; init; }

    /// <summary>lp: x^p, as PyTorch computes it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(LearnOptionalNumberConverter))]
    public double? Power { get; init; }
}

/// <summary>A pooling output cell explained: its window, its cells, the rule that gives the value, the value.</summary>
public sealed record PoolExplanationResponse
{
    public required string Mode { get; init; }

    /// <summary>The output cell, in the output's rank.</summary>
    public required int[] Cell { get; init; }

    [JsonConverter(typeof(LearnNumberConverter))]
    public double Value { get; init; }

    /// <summary>The window's cells in row-major window order (the order ties are broken in).</summary>
    public required IReadOnlyList<PoolTerm> Terms { get; init; }

    /// <summary>The rule written out with the numbers: "max(108, 85, 110, 74) = 110", "(109 + 92 + 108 + 85) / 4 = 98.5".</summary>
    public required string Text { get; init; }

    /// <summary>The rule in words.</summary>
    public required string Rule { get; init; }

    /// <summary>max: the winning cell, in the input's rank.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int[]? Winner { get; init; }

    /// <summary>max: the winner's flat position in its plane, as returnIndices gives it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Index { get; init; }

    /// <summary>mean and lp: the sum (of x, or of x^p).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(LearnOptionalNumberConverter))]
    public double? Sum { get; init; }

    /// <summary>mean and lp: what the sum is divided by.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Divisor { get; init; }

    /// <summary>Why the divisor is what it is (countIncludePad, divisorOverride, a ceil-mode window cut at the edge).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DivisorReason { get; init; }

    /// <summary>Per axis, the window's bounds and, for adaptive and fractional windows, their formula with the numbers.</summary>
    public required IReadOnlyList<string> Bounds { get; init; }

    /// <summary>fractional-max: the sample that placed each axis's windows, in axis order.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double[]? Samples { get; init; }

    /// <summary>Per spatial axis, the output-size formula with the request's numbers.</summary>
    public required IReadOnlyList<string> OutputSize { get; init; }

    public required IReadOnlyList<string> Notes { get; init; }
}

/// <summary>What one output cell's gradient sends to the explained input cell.</summary>
public sealed record PoolGradientTerm
{
    /// <summary>The output (and gradOutput) cell, in its rank.</summary>
    public required int[] GradOutput { get; init; }

    /// <summary>gradOutput's value there (1 when gradOutput was not sent).</summary>
    [JsonConverter(typeof(LearnNumberConverter))]
    public double G { get; init; }

    /// <summary>∂output/∂input for this pair: 1 or 0 (max), 1/divisor (mean), lp's chain rule.</summary>
    [JsonConverter(typeof(LearnNumberConverter))]
    public double Derivative { get; init; }

    /// <summary>What reaches the input cell: g·derivative.</summary>
    [JsonConverter(typeof(LearnNumberConverter))]
    public double Share { get; init; }

    /// <summary>False for a max window whose maximum is another cell.</summary>
    public bool Sends { get; init; }

    /// <summary>That output cell's value (max: the winner's).</summary>
    [JsonConverter(typeof(LearnNumberConverter))]
    public double Output { get; init; }
}

/// <summary>An input cell's pooling gradient explained: the output cells whose windows hold it and what each sends.</summary>
public sealed record PoolGradientResponse
{
    public required string Mode { get; init; }

    /// <summary>The input cell, in the input's rank.</summary>
    public required int[] Cell { get; init; }

    /// <summary>The input's value at the cell.</summary>
    [JsonConverter(typeof(LearnNumberConverter))]
    public double X { get; init; }

    [JsonConverter(typeof(LearnNumberConverter))]
    public double Value { get; init; }

    /// <summary>One per output cell whose window holds the input cell, in row-major order.</summary>
    public required IReadOnlyList<PoolGradientTerm> Terms { get; init; }

    /// <summary>The shares written out: "1 + 1 = 2", "1/4 + 1/4 = 0.5".</summary>
    public required string Text { get; init; }

    /// <summary>Per spatial axis, the output-size formula with the request's numbers.</summary>
    public required IReadOnlyList<string> OutputSize { get; init; }

    public required IReadOnlyList<string> Notes { get; init; }
}
