using BenchmarkDotNet.Running;
using ConvService.Benchmarks;

if (args.Length > 0 && args[0] == "--quick")
    QuickRun.Print([.. args.Skip(1)]);
else if (args.Length > 1 && args[0] == "--pass")
    PassTimer.Print([.. args.Skip(1)]);
else if (args.Length > 0 && args[0] == "--seed")
    await SeedTimer.PrintAsync([.. args.Skip(1)]);
else if (args.Length > 0 && args[0] == "--quick-pool")
    QuickPool.Print(args.Length > 1 ? args[1] : "");
else
    BenchmarkSwitcher.FromAssembly(typeof(ConvShape).Assembly).Run(args, BenchmarkConfig.Create());
