using System.Text.Json.Serialization;
using ConvService.Api.Json;

namespace ConvService.Api.Contracts.Learn;

/// <summary>One wrong cell of a graded answer.</summary>
/// <param name="Field">The answer field: "output", "gradInput", …</param>
/// <param name="Index">The cell, in the field's rank.</param>
/// <param name="Expected">What the route computes there.</param>
/// <param name="Given">What the answer says.</param>
/// <param name="Explanation">The matching explain route's answer for that cell (the first 20 wrong cells; null after them).</param>
public sealed record WrongCell(
    string Field,
    int[] Index,
    [property: JsonConverter(typeof(LearnNumberConverter))] double Expected,
    [property: JsonConverter(typeof(LearnNumberConverter))] double Given,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] object? Explanation);

/// <summary>A graded answer.</summary>
/// <param name="Correct">Every graded field has the route's shape and every cell is within the tolerance.</param>
/// <param name="Cells">The cells graded (fields of the right shape).</param>
/// <param name="WrongCount">How many cells are wrong; <see cref="Wrong"/> lists them up to Limits:MaxExplainTerms.</param>
/// <param name="Wrong">The wrong cells, field by field in row-major order; the first 20 explained.</param>
/// <param name="ExpectedShape">The route's shape of each field whose given shape differs (its cells are not graded).</param>
/// <param name="Graded">The answer fields graded.</param>
/// <param name="Notes">Fields the route does not answer for this request, and the tolerance used.</param>
public sealed record CheckResponse(
    bool Correct,
    long Cells,
    long WrongCount,
    IReadOnlyList<WrongCell> Wrong,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, int[]>? ExpectedShape,
    IReadOnlyList<string> Graded,
    IReadOnlyList<string> Notes);
