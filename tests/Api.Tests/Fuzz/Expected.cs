using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Fuzz;

/// <summary>
/// A reference's answer: the values, and for each the sum of the magnitudes of the terms that made it, the scale of
/// its rounding error (a sum that cancels to near zero is still only as exact as its terms). Indices compare exactly.
/// </summary>
public sealed record Expected(int[] Shape, double[] Data, double[] Scale, bool Exact = false)
{
    /// <summary>
    /// Within 1e-9 (float64) or 1e-5 (float32: the service computes in float) of each value, relative to 1 + its scale;
    /// NaN where the reference has NaN.
    /// </summary>
    public void AssertMatches(WireTensor actual, string dtype, string what)
    {
        Assert.True(Shape.SequenceEqual(actual.Shape), $"{what}: expected shape [{string.Join(",", Shape)}], got [{string.Join(",", actual.Shape)}]");
        var tolerance = Exact ? 0 : dtype == "float32" ? 1e-5 : 1e-9;
        for (var i = 0; i < Data.Length; i++)
        {
            var (e, a) = (Data[i], actual.Data[i]);
            var ok = e.Equals(a) || Math.Abs(e - a) <= tolerance * (1 + Scale[i]);
            Assert.True(ok, $"{what}[{i}]: expected {e:R}, actual {a:R} (scale {Scale[i]:G3}, {dtype})");
        }
    }
}
