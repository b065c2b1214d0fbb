using CsCheck;

namespace ConvService.Api.Tests.Fuzz;

/// <summary>Learn mode's routes' fields: the compute routes' plus a cell (and which gradient); /shape's layers; /check's nested request and answer.</summary>
public static class LearnFuzzFields
{
    public static readonly Gen<string> Cell = Gen.OneOf(
        Gen.Int[0, 3].Array[1, 5].Select(a => $"[{string.Join(",", a)}]"),
        Gen.OneOf("[-1,0]", "[0]", "[]", "[2147483647,0]", "[0.5,1]", "\"0,0\"", "null"));

    public static readonly Gen<string> Of = Gen.OneOf("\"gradInput\"", "\"gradKernel\"", "\"gradBias\"", "\"output\"", "7");

    public static readonly Dictionary<string, Gen<string>> ConvExplain = With(FuzzFields.ConvForward, ("cell", Cell));

    public static readonly Dictionary<string, Gen<string>> ConvBackwardExplain = With(FuzzFields.ConvBackward, ("cell", Cell), ("of", Of));

    public static readonly Dictionary<string, Gen<string>> ConvTransposeExplain = With(FuzzFields.ConvTranspose, ("cell", Cell));

    public static readonly Dictionary<string, Gen<string>> ConvTransposeBackwardExplain = With(FuzzFields.ConvTransposeBackward, ("cell", Cell), ("of", Of));

    public static readonly Dictionary<string, Gen<string>> PoolExplain = With(FuzzFields.Pool, ("cell", Cell));

    public static readonly Dictionary<string, Gen<string>> PoolBackwardExplain = With(FuzzFields.PoolBackward, ("cell", Cell));

    private static readonly Gen<string> Layer = Object(new()
    {
        ["op"] = Gen.OneOf("\"conv\"", "\"conv-transpose\"", "\"max\"", "\"avg\"", "\"lp\"", "\"fractional-max\"", "\"adaptive-max\"", "\"adaptive-avg\"", "\"median\""),
        ["outChannels"] = Gen.Int[-1, 4].Select(i => $"{i}"),
        ["kernelSize"] = FuzzFields.PerAxis(0, 4),
        ["stride"] = FuzzFields.PerAxis(0, 3),
        ["padding"] = FuzzFields.Padding,
        ["dilation"] = FuzzFields.PerAxis(1, 2),
        ["groups"] = Gen.Int[0, 3].Select(i => $"{i}"),
        ["bias"] = Gen.OneOf("true", "false"),
        ["paddingMode"] = Gen.OneOf("\"zeros\"", "\"reflect\"", "\"circular\""),
        ["outputPadding"] = FuzzFields.PerAxis(0, 2),
        ["outputSize"] = Gen.OneOf(FuzzFields.PerAxis(1, 4), Gen.OneOf("[null,2]", "[null]")),
        ["outputRatio"] = Gen.OneOf("0.5", "[0.5,0.7]"),
        ["ceilMode"] = Gen.OneOf("true", "false"),
        ["countIncludePad"] = Gen.OneOf("true", "false"),
        ["divisorOverride"] = Gen.Int[0, 5].Select(i => $"{i}"),
        ["normType"] = Gen.OneOf("1", "2", "0"),
    });

    public static readonly Dictionary<string, Gen<string>> Shape = new()
    {
        ["input"] = Gen.OneOf(Gen.Int[0, 9].Array[1, 6].Select(a => $"[{string.Join(",", a)}]"), Gen.OneOf("[2147483647,2147483647]", "[1,3,2147483647,7]", "[-1,5]", "[]")),
        ["spatialDims"] = FuzzFields.SpatialDims,
        ["layers"] = Gen.OneOf(Layer.Array[0, 4].Select(a => $"[{string.Join(",", a)}]"), Gen.OneOf("[null]", "{}", "[1]")),
    };

    public static readonly Dictionary<string, Gen<string>> Check = new()
    {
        ["operation"] = Gen.OneOf("\"/conv/forward\"", "\"/conv/backward\"", "\"/conv/transpose\"", "\"/pool/max\"", "\"/pool/avg/backward\"", "\"/pool/fractional-max\"", "\"/conv/sideways\""),
        ["request"] = Gen.OneOf(Object(FuzzFields.ConvForward), Object(FuzzFields.ConvBackward), Object(FuzzFields.ConvTranspose), Object(FuzzFields.Pool), Object(FuzzFields.PoolBackward)),
        ["answer"] = Object(new() { ["output"] = FuzzFields.Tensor, ["gradInput"] = FuzzFields.Tensor, ["gradKernel"] = FuzzFields.Tensor, ["indices"] = FuzzFields.Tensor, ["nope"] = FuzzFields.Tensor }),
        ["tolerance"] = Gen.OneOf("0", "1e-6", "-1", "1e308"),
    };

    private static Dictionary<string, Gen<string>> With(Dictionary<string, Gen<string>> fields, params (string Name, Gen<string> Value)[] more)
    {
        var all = new Dictionary<string, Gen<string>>(fields);
        foreach (var (name, value) in more)
            all[name] = value;
        return all;
    }

    /// <summary>A plausible nested object: each field present two times in three.</summary>
    private static Gen<string> Object(Dictionary<string, Gen<string>> fields)
    {
        var members = fields.Select(field => Gen.Frequency((2, field.Value.Select(v => $"\"{field.Key}\":{v}")), (1, Gen.Const(""))));
        return members.Aggregate(Gen.Const(Array.Empty<string>()), (acc, member) => Gen.Select(acc, member).Select(p => (string[])[.. p.Item1, p.Item2]))
            .Select(parts => "{" + string.Join(",", parts.Where(p => p.Length > 0)) + "}");
    }
}
