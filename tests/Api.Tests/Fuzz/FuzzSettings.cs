using CsCheck;

namespace ConvService.Api.Tests.Fuzz;

/// <summary>
/// A fixed seed and iteration count so CI runs the same cases every time; FUZZ_ITERATIONS (count) and
/// FUZZ_SEED (number) run more or other ones.
/// </summary>
public static class FuzzSettings
{
    public static int Iterations(int ciDefault) =>
        int.TryParse(Environment.GetEnvironmentVariable("FUZZ_ITERATIONS"), out var n) && n > 0 ? n : ciDefault;

    public static ulong Seed => ulong.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out var s) ? s : 20261125;

    /// <summary>The cases, generated deterministically from <see cref="Seed"/>; the index of a failing case is its name.</summary>
    public static IReadOnlyList<T> Cases<T>(Gen<T> gen, int count, uint stream = 1)
    {
        var pcg = new PCG(stream, Seed);
        return [.. Enumerable.Range(0, count).Select(_ => gen.Generate(pcg, null, out Size _))];
    }
}
