using System.Globalization;
using CsCheck;

namespace ConvService.Api.Tests.Fuzz;

/// <summary>Numbers for valid requests: none an exact binary fraction, so that rounding differences show.</summary>
public static class FuzzNumbers
{
    /// <summary>k/7 for k in [−20, 20]: 0, then values such as 0.142857… that no binary fraction holds exactly.</summary>
    public static readonly Gen<double> Value = Gen.Int[-20, 20].Select(k => k / 7.0);

    /// <summary>Positive values k/7, for lp pooling with a fractional norm (a negative base has no real power).</summary>
    public static readonly Gen<double> Positive = Gen.Int[1, 20].Select(k => k / 7.0);

    /// <summary><paramref name="count"/> values drawn from <paramref name="seed"/>, as k/11 for k in [−15, 15].</summary>
    public static double[] Drawn(int seed, int count)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => random.Next(-15, 16) / 11.0)];
    }

    /// <summary>A value as the service computes with it: rounded to float in float32.</summary>
    public static double Typed(double value, string dtype) => dtype == "float32" ? (float)value : value;

    /// <summary>A tensor in the flat wire form, each number in its shortest round-trip text.</summary>
    public static string Flat(int[] shape, IEnumerable<double> data) =>
        $"{{\"shape\":[{string.Join(',', shape)}],\"data\":[{string.Join(',', data.Select(d => d.ToString("R", CultureInfo.InvariantCulture)))}]}}";
}
