using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace ConvService.Benchmarks;

/// <summary>
/// ShortRun (3 warm-ups, 3 iterations): the machine is shared, and a longer run buys little against that noise. One joined
/// summary, so float and double sit in one table with their Type.
/// </summary>
public static class BenchmarkConfig
{
    public static IConfig Create() => DefaultConfig.Instance
        .AddJob(Job.ShortRun)
        .AddColumn(new GflopsColumn())
        .WithOptions(ConfigOptions.JoinSummary);
}
