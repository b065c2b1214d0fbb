namespace ConvService.Api.Json;

/// <summary>
/// 10^0 … 10^22: the powers of ten a double holds exactly (5^22 &lt; 2^53). One correctly rounded multiply or divide by
/// one of them is exact arithmetic rounded once, which both directions of the number text rely on: reading a short
/// decimal (<see cref="FastNumber"/>) and proving a value is one when writing it (<see cref="ShortestDigits"/>).
/// </summary>
internal static class ExactPowersOfTen
{
    public const int Largest = 22;

    public static ReadOnlySpan<double> Values =>
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ];
}
