using System.Text.Json.Serialization;

namespace ConvService.Api.Contracts.Learn;

/// <summary>One layer's shapes, output-size formulas and counts.</summary>
/// <param name="Op">The layer's op.</param>
/// <param name="InputShape">The shape it receives.</param>
/// <param name="OutputShape">The shape it gives the next layer.</param>
/// <param name="Formula">Per spatial axis, the output-size formula with the numbers.</param>
/// <param name="Parameters">Weights plus bias (0 for a pool).</param>
/// <param name="MultiplyAdds">The forward pass's multiply-adds, N·Cout·C/groups·Π O·Π K (0 for a pool).</param>
/// <param name="WindowReads">A pool's window reads, the service's work unit for pooling.</param>
public sealed record ShapeLayerResult(
    string Op,
    int[] InputShape,
    int[] OutputShape,
    IReadOnlyList<string> Formula,
    long Parameters,
    long MultiplyAdds,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? WindowReads);

/// <summary>The totals of a stack.</summary>
public sealed record ShapeTotals(long Parameters, long MultiplyAdds);

/// <summary>A layer stack's shapes without data: per layer, then the stack's output shape and totals.</summary>
public sealed record ShapeResponse(int[] InputShape, IReadOnlyList<ShapeLayerResult> Layers, int[] OutputShape, ShapeTotals Totals);
