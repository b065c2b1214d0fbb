using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace ConvService.Benchmarks;

/// <summary>
/// 3 warm-ups and 10 measured iterations per case, reported as medians (with GFLOP/s and MB/s from the median); one
/// joined summary, so float and double sit in one table with their Type.
/// </summary>
public static class BenchmarkConfig
{
    public static IConfig Create() => DefaultConfig.Instance
        .AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(10))
        .AddColumn(StatisticColumn.Median)
        .AddColumn(new GflopsColumn())
        .AddColumn(new ThroughputColumn())
        .WithOptions(ConfigOptions.JoinSummary);
}
