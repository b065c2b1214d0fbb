using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ConvService.Benchmarks;

/// <summary>GFLOP/s of a convolution benchmark: its <see cref="ConvShape"/>'s FLOPs (2× for Backward) over the median time.</summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);

    public string ColumnName => "GFLOP/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Floating-point operations per second, 1e9: 2·N·Cout·Ho·Wo·C·k² per forward pass, twice that per backward pass";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var median = summary[benchmarkCase]?.ResultStatistics?.Median;
        if (median is null || benchmarkCase.Parameters["Shape"] is not ConvShape shape)
            return "-";
        var passes = benchmarkCase.Descriptor.WorkloadMethod.Name == "Backward" ? 2 : 1;
        return (passes * shape.ForwardFlops / median.Value).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
