using System.Text.Json;

namespace ConvService.Api.Tests.Support;

/// <summary>A tensor read back from JSON in either wire form, for comparing with PyTorch's expected answers.</summary>
public sealed record WireTensor(int[] Shape, double[] Data, bool Flat)
{
    public static WireTensor Parse(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            var shape = element.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            return new WireTensor(shape, [.. element.GetProperty("data").EnumerateArray().Select(Number)], Flat: true);
        }
        var dims = new List<int>();
        for (var e = element; e.ValueKind == JsonValueKind.Array; e = e.GetArrayLength() > 0 ? e[0] : default)
            dims.Add(e.GetArrayLength());
        var data = new List<double>();
        Flatten(element, data);
        return new WireTensor([.. dims], [.. data], Flat: false);
    }

    /// <summary>Fails with the first index whose values differ by more than tol·(1 + |expected|) — math.isclose with rel = abs = tol.</summary>
    public void AssertClose(WireTensor expected, string what, double tolerance = 1e-9)
    {
        Assert.True(expected.Flat == Flat, $"{what}: expected the {(expected.Flat ? "flat" : "nested")} wire form");
        Assert.True(expected.Shape.SequenceEqual(Shape), $"{what}: expected shape [{string.Join(",", expected.Shape)}], got [{string.Join(",", Shape)}]");
        for (var i = 0; i < Data.Length; i++)
        {
            var (e, a) = (expected.Data[i], Data[i]);
            var ok = e.Equals(a) || Math.Abs(e - a) <= Math.Max(tolerance * Math.Max(Math.Abs(e), Math.Abs(a)), tolerance);
            Assert.True(ok, $"{what}[{i}]: expected {e:R}, actual {a:R}");
        }
    }

    private static void Flatten(JsonElement element, List<double> data)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
                Flatten(item, data);
        }
        else
            data.Add(Number(element));
    }

    private static double Number(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString() switch { "NaN" => double.NaN, "Infinity" => double.PositiveInfinity, "-Infinity" => double.NegativeInfinity, var s => throw new FormatException(s) }
        : e.GetDouble();
}
