using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ConvService.Benchmarks;

/// <summary>MB/s of a JSON benchmark: the bytes it reads or writes (<see cref="JsonBenchmarks.BytesOf"/>) over the median time.</summary>
public sealed class ThroughputColumn : IColumn
{
    public string Id => nameof(ThroughputColumn);

    public string ColumnName => "MB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Megabytes (1e6) of JSON read or written per second, from the median";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var median = summary[benchmarkCase]?.ResultStatistics?.Median;
        if (median is null || benchmarkCase.Descriptor.Type != typeof(JsonBenchmarks))
            return "-";
        var bytes = JsonBenchmarks.BytesOf(benchmarkCase.Descriptor.WorkloadMethod.Name);
        return (bytes / 1e6 / (median.Value / 1e9)).ToString("F0", System.Globalization.CultureInfo.InvariantCulture);
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
