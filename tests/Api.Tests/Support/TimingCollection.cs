namespace ConvService.Api.Tests.Support;

/// <summary>
/// Tests that measure time or keep both cores busy: run alone, after the parallel ones, so that they neither slow
/// nor are slowed by the rest of the suite.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "timing";
}
