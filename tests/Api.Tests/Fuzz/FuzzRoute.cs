using ConvService.Api.Endpoints;

namespace ConvService.Api.Tests.Fuzz;

/// <summary>A route under fuzzing and the fields its body has, each with a generator of plausible JSON values.</summary>
public sealed record FuzzRoute(string Path, IReadOnlyDictionary<string, CsCheck.Gen<string>> Fields)
{
    public override string ToString() => Path;

    /// <summary>Every route the fuzz suite attacks: one line each.</summary>
    public static readonly FuzzRoute[] All =
    [
        new(Routes.ConvForward, FuzzFields.ConvForward),
        new(Routes.ConvBackward, FuzzFields.ConvBackward),
        new(Routes.ConvTranspose, FuzzFields.ConvTranspose),
        new(Routes.ConvTransposeBackward, FuzzFields.ConvTransposeBackward),
        .. new[] { "max", "avg", "lp", "fractional-max", "adaptive-max", "adaptive-avg" }.SelectMany(mode => new FuzzRoute[]
        {
            new($"{Routes.Pool}/{mode}", FuzzFields.Pool),
            new($"{Routes.Pool}/{mode}/backward", FuzzFields.PoolBackward),
        }),
    ];

    public static TheoryData<string> Paths => [.. All.Select(r => r.Path)];

    public static FuzzRoute Named(string path) => All.Single(r => r.Path == path);
}
