using CsCheck;

namespace ConvService.Api.Tests.Fuzz;

/// <summary>Per route, its fields with generators of values a client might plausibly send (valid or nearly so).</summary>
public static class FuzzFields
{
    public static readonly Gen<string> Tensor = Gen.OneOf(FuzzValues.NestedTensor, FuzzValues.FlatTensor);

    public static readonly Gen<string> Pair = Gen.OneOf(
        Gen.Int[1, 3].Select(i => $"{i}"),
        Gen.Select(Gen.Int[1, 3], Gen.Int[1, 3]).Select(p => $"[{p.Item1},{p.Item2}]"));

    /// <summary>One to three axes of integers, the spatialDims a list may mean.</summary>
    public static readonly Gen<string> Axes = Gen.OneOf(
        Gen.Int[1, 3].Select(i => $"{i}"),
        Gen.Int[1, 3].Array[1, 3].Select(a => $"[{string.Join(",", a)}]"));

    public static readonly Gen<string> Padding = Gen.OneOf(
        Gen.Int[0, 2].Select(i => $"{i}"),
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 2]).Select(p => $"[{p.Item1},{p.Item2}]"),
        Gen.OneOf(Gen.Int[0, 2].Select(i => $"{i}"), Gen.Select(Gen.Int[0, 2], Gen.Int[0, 2]).Select(p => $"[{p.Item1},{p.Item2}]")).Array[1, 3].Select(a => $"[{string.Join(",", a)}]"),
        Gen.OneOf("\"same\"", "\"valid\"", "\"same-upper\"", "\"same-lower\""));

    public static readonly Gen<string> SpatialDims = Gen.Int[0, 4].Select(i => $"{i}");

    public static readonly Gen<string> DType = Gen.OneOf("\"float64\"", "\"float32\"");

    public static readonly Dictionary<string, Gen<string>> ConvForward = new()
    {
        ["input"] = Tensor,
        ["kernel"] = Tensor,
        ["bias"] = Tensor,
        ["stride"] = Axes,
        ["padding"] = Padding,
        ["dilation"] = Axes,
        ["groups"] = Gen.Int[1, 3].Select(i => $"{i}"),
        ["paddingMode"] = Gen.OneOf("\"zeros\"", "\"reflect\"", "\"replicate\"", "\"circular\""),
        ["dtype"] = DType,
        ["spatialDims"] = SpatialDims,
    };

    public static readonly Dictionary<string, Gen<string>> ConvBackward = new(ConvForward) { ["gradOutput"] = Tensor };

    public static readonly Dictionary<string, Gen<string>> ConvTranspose = new()
    {
        ["input"] = Tensor,
        ["kernel"] = Tensor,
        ["bias"] = Tensor,
        ["stride"] = Axes,
        ["padding"] = Padding,
        ["outputPadding"] = Gen.OneOf(Gen.Int[0, 2].Select(i => $"{i}"), Gen.Int[0, 2].Array[1, 3].Select(a => $"[{string.Join(",", a)}]")),
        ["outputSize"] = Gen.OneOf(Gen.Int[1, 9].Select(i => $"{i}"), Gen.Int[1, 9].Array[1, 3].Select(a => $"[{string.Join(",", a)}]")),
        ["dilation"] = Axes,
        ["groups"] = Gen.Int[1, 3].Select(i => $"{i}"),
        ["dtype"] = DType,
        ["spatialDims"] = SpatialDims,
    };

    public static readonly Dictionary<string, Gen<string>> ConvTransposeBackward = new(ConvTranspose) { ["gradOutput"] = Tensor };

    public static readonly Dictionary<string, Gen<string>> Pool = new()
    {
        ["input"] = Tensor,
        ["kernelSize"] = Pair,
        ["stride"] = Pair,
        ["padding"] = Gen.Int[0, 2].Select(i => $"{i}"),
        ["dilation"] = Pair,
        ["ceilMode"] = Gen.OneOf("true", "false"),
        ["countIncludePad"] = Gen.OneOf("true", "false"),
        ["divisorOverride"] = Gen.Int[1, 9].Select(i => $"{i}"),
        ["normType"] = Gen.OneOf("1", "2", "2.5"),
        ["outputSize"] = Gen.OneOf(Pair, Gen.Const("[null,2]")),
        ["outputRatio"] = Gen.OneOf("0.5", "[0.5,0.7]"),
        ["seed"] = Gen.Int[0, 100].Select(i => $"{i}"),
        ["returnIndices"] = Gen.OneOf("true", "false"),
        ["dtype"] = DType,
    };

    public static readonly Dictionary<string, Gen<string>> PoolBackward = new(Pool) { ["gradOutput"] = Tensor };
}
