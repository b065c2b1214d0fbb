using System.Globalization;
using CsCheck;

namespace ConvService.Api.Tests.Fuzz;

/// <summary>JSON value texts: small tensors in both wire forms, and the hostile values every field is tried with.</summary>
public static class FuzzValues
{
    public static readonly Gen<string> Number = Gen.Frequency(
        (40, Gen.Int[-9, 9].Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (5, Gen.Double[-1e3, 1e3].Select(d => d.ToString("R", CultureInfo.InvariantCulture))),
        (1, Gen.OneOf("\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "1e400", "-1e400", "1e-400", "3.5e38", "\"1\"", "null", "true")));

    public static readonly Gen<int[]> Dims = Gen.Int[1, 4].Array[1, 5];

    /// <summary>Nested arrays of the given dims (rectangular: the rank is the nesting depth).</summary>
    public static readonly Gen<string> NestedTensor = Dims.SelectMany(dims => Number.Array[Count(dims)].Select(values => Nest(dims, values)));

    public static readonly Gen<string> FlatTensor = Dims.SelectMany(dims => Number.Array[Count(dims)].Select(values =>
        $"{{\"shape\":[{string.Join(',', dims)}],\"data\":[{string.Join(',', values)}]}}"));

    /// <summary>Values no field accepts as sent, or that break a shape rule: the other half of every field's generator.</summary>
    public static readonly Gen<string> Hostile = Gen.OneOf(
        Gen.OneOf("null", "true", "\"\"", "\"abc\"", "{}", "[]", "[[]]", "[[],[]]", "0", "-1", "1.5", "-2147483649", "2147483648",
            "2000000000", "[2000000000,2000000000]", "[-1,2]", "[1,2,3]", "[1]", "1e400", "\"NaN\"", "\"same\"", "\"valid\"", "\"bogus\"",
            "[[1,2],[3]]", "[[1],[[2]]]", "[1,[2]]", "[[1,2],3]", "[[[[[1]]]]]", "[[\"x\"]]", "[[null]]", "[[true]]",
            "{\"shape\":[-1,2],\"data\":[]}", "{\"shape\":[100000,100000,100000],\"data\":[1]}", "{\"shape\":[2147483647,2147483647],\"data\":[]}",
            "{\"shape\":[2],\"data\":[1,2,3]}", "{\"shape\":\"x\",\"data\":[1]}", "{\"data\":[1]}", "{\"shape\":[1]}",
            "{\"shape\":[1],\"data\":[1],\"extra\":1}", "{\"shape\":[1,1],\"data\":[[1]]}", "{\"shape\":[1,1,1,1,1],\"data\":[1]}"),
        Gen.Int[1, 300].Select(depth => new string('[', depth) + "1" + new string(']', depth)),
        Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture)),
        Gen.Long.Select(i => i.ToString(CultureInfo.InvariantCulture)),
        Gen.String[0, 20].Select(s => System.Text.Json.JsonSerializer.Serialize(s)));

    private static int Count(int[] dims) => dims.Aggregate(1, (a, b) => a * b);

    private static string Nest(ReadOnlySpan<int> dims, string[] values)
    {
        var text = new System.Text.StringBuilder();
        var next = 0;
        Append(dims, values, ref next, text);
        return text.ToString();
    }

    private static void Append(ReadOnlySpan<int> dims, string[] values, ref int next, System.Text.StringBuilder text)
    {
        text.Append('[');
        for (var i = 0; i < dims[0]; i++)
        {
            if (i > 0)
                text.Append(',');
            if (dims.Length == 1)
                text.Append(values[next++]);
            else
                Append(dims[1..], values, ref next, text);
        }
        text.Append(']');
    }
}
