namespace ConvService.Domain.Tests.Support;

/// <summary>Central finite differences in double: the gradient of a scalar loss with respect to an array it reads.</summary>
internal static class FiniteDifferences
{
    /// <summary>
    /// ∂loss/∂values[k] ≈ (loss(values[k] + h) − loss(values[k] − h)) / 2h, each entry perturbed in place and restored.
    /// Exact up to rounding for the convolutions, whose loss Σ gradOutput·output is linear in each argument.
    /// </summary>
    public static double[] Of(Func<double> loss, double[] values, double h = 1e-3)
    {
        var result = new double[values.Length];
        for (var k = 0; k < values.Length; k++)
        {
            var saved = values[k];
            values[k] = saved + h;
            var plus = loss();
            values[k] = saved - h;
            var minus = loss();
            values[k] = saved;
            result[k] = (plus - minus) / (2 * h);
        }
        return result;
    }
}
