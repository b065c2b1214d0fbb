namespace ConvService.Domain.Tests.Support;

internal static class Assertions
{
    /// <summary>Every element within tolerance·(1 + |expected|); the failure names the first bad index.</summary>
    public static void AllClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double tolerance = 1e-9, string what = "tensor")
    {
        Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} elements, got {actual.Length}");
        for (var i = 0; i < expected.Length; i++)
        {
            var ok = expected[i].Equals(actual[i]) || Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i]));
            Assert.True(ok, $"{what}[{i}]: expected {expected[i]:R}, actual {actual[i]:R}");
        }
    }

    public static void AllClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double tolerance, string what = "tensor")
    {
        var widened = new double[actual.Length];
        for (var i = 0; i < actual.Length; i++)
            widened[i] = actual[i];
        AllClose(expected, widened, tolerance, what);
    }
}
