using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace ConvService.Benchmarks;

/// <summary>ShortRun (3 warm-ups, 3 iterations): the machine is shared, and the kernels' run-to-run noise is a few percent anyway.</summary>
public static class BenchmarkConfig
{
    public static IConfig Create() => DefaultConfig.Instance
        .AddJob(Job.ShortRun)
        .AddColumn(new GflopsColumn());
}
