using BenchmarkDotNet.Running;
using ConvService.Benchmarks;

if (args.Length > 0 && args[0] == "--quick")
{
    if (Environment.GetEnvironmentVariable("COL2IM") is { } c) ConvService.Domain.Convolution.Kernels.DataGradient.TransposedForwardChannels = int.Parse(c);
    QuickRun.Print(args.Skip(1));
}
else
    BenchmarkSwitcher.FromAssembly(typeof(ConvShape).Assembly).Run(args, BenchmarkConfig.Create());
