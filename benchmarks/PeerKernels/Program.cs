// ConvService's convolution against libtorch 2.10 (TorchSharp) in one process, alternating call by call on the shapes
// of ../../shared/tools/peer (S1–S7, padding k/2), so that whatever the shared host does to one falls on the other too.
// Forward against libtorch's forward; backward (both gradients, 2× the forward's FLOPs) against libtorch's forward +
// backward (3×), each in GFLOP/s. The ratio is the median over pairs of blocks (ours/libtorch rates), run back to back.
//   benchmarks/PeerKernels/run.sh [SECONDS per pass (2)] [float32|float64|both (float32)] [S1 … S7 (all)]
// Run the shapes in order, from S1, for libtorch's best figures, as the peer tool runs them: its S7 forward measured
// 54–70 GFLOP/s when S7 ran first in the process and 115–128 after S1–S6 (why is not known: a fixed glibc mmap
// threshold of 32 MiB did not change it).
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using ConvService.Benchmarks;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 2;
var dtypes = args.Length > 1 ? args[1] : "float32";
var names = args.Skip(2).ToHashSet(StringComparer.OrdinalIgnoreCase);
var shapes = ConvShape.All.Where(s => names.Count == 0 || names.Contains(s.Name)).ToArray();
Console.WriteLine($"libtorch {torch.__version__}, {torch.get_num_threads()} threads; ConvService on {Environment.ProcessorCount} cores; {seconds:F1} s per pass; load {File.ReadAllText("/proc/loadavg")[..14]}");
Console.WriteLine("shape  dtype    forward: ours  libtorch  ratio (p25–p75)    backward: ours  libtorch  ratio (p25–p75)");
if (dtypes is "float32" or "both")
    Compare<float>(float32, "fp32");
if (dtypes is "float64" or "both")
    Compare<double>(float64, "fp64");

void Compare<T>(ScalarType dtype, string label) where T : unmanaged, IFloatingPointIeee754<T>
{
    foreach (var shape in shapes)
    {
        using var ours = new ConvData<T>(shape);
        var d = shape.SpatialDims;
        var (stride, padding) = (shape.Stride, shape.K / 2);
        using var x = randn([shape.N, shape.C, .. shape.Sizes.Select(s => (long)s)], dtype);
        using var w = randn([shape.Cout, shape.C, .. Enumerable.Repeat((long)shape.K, d)], dtype);
        using var xg = x.clone().requires_grad_(true);
        using var wg = w.clone().requires_grad_(true);
        using var g = ones(ours.Geometry.OutputShape.Dims.Select(s => (long)s).ToArray(), dtype);
        Tensor Conv(Tensor a, Tensor b) => d switch
        {
            1 => F.conv1d(a, b, null, stride, padding),
            2 => F.conv2d(a, b, null, [stride, stride], [padding, padding]),
            _ => F.conv3d(a, b, null, [stride, stride, stride], [padding, padding, padding]),
        };
        var flops = shape.ForwardFlops;
        var forward = Alternate(() => ConvPasses.Forward(ours), () => Conv(x, w).Dispose(), flops, flops);
        var backward = Alternate(() => ConvPasses.Backward(ours), () =>
        {
            using var y = Conv(xg, wg);
            y.backward([g]);
            xg.grad!.zero_();
            wg.grad!.zero_();
        }, 2 * flops, 3 * flops);
        Console.WriteLine($"{shape.Name,-6} {label,-6} {forward}    {backward}");
    }
}

// Warms both up, then runs them by turns in short blocks (which goes first alternates) for the time given and at least
// 7 blocks each. A block is a few calls back to back, about 40 ms, and its first call is not timed: the workers the
// other runtime just used (OpenMP's, the .NET pool's) spin for a while after their work, and one's own must wake. Each
// block's median is paired with the other side's next block.
Result Alternate(Action ours, Action theirs, double ourFlops, double theirFlops)
{
    var (ourCall, theirCall) = (Time(ours), Time(theirs));
    for (var i = 0; i < 2; i++)
        (ourCall, theirCall) = (Math.Min(ourCall, Time(ours)), Math.Min(theirCall, Time(theirs)));
    var (ourBlock, theirBlock) = (Calls(ourCall), Calls(theirCall));
    var (oursTimes, theirTimes) = (new List<double>(), new List<double>());
    var total = Stopwatch.StartNew();
    for (var pair = 0; pair < 7 || (total.Elapsed.TotalSeconds < seconds && pair < 1000); pair++)
    {
        if (pair % 2 == 0)
        {
            oursTimes.Add(Block(ours, ourBlock));
            theirTimes.Add(Block(theirs, theirBlock));
        }
        else
        {
            theirTimes.Add(Block(theirs, theirBlock));
            oursTimes.Add(Block(ours, ourBlock));
        }
    }
    var ratios = oursTimes.Zip(theirTimes, (o, t) => ourFlops / o / (theirFlops / t)).Order().ToArray();
    return new(ourFlops / Median(oursTimes) / 1e9, theirFlops / Median(theirTimes) / 1e9, ratios[ratios.Length / 2], ratios[ratios.Length / 4], ratios[ratios.Length * 3 / 4]);
}

// Calls per block: about 40 ms of them, and at least 3 (one untimed).
static int Calls(double call) => Math.Clamp((int)(0.04 / call), 3, 200);

// The median time of a block's calls after its first.
static double Block(Action pass, int calls)
{
    pass();
    var times = new List<double>(calls - 1);
    for (var i = 1; i < calls; i++)
        times.Add(Time(pass));
    return Median(times);
}

static double Time(Action pass)
{
    var watch = Stopwatch.StartNew();
    pass();
    return watch.Elapsed.TotalSeconds;
}

static double Median(List<double> times) => times.Order().ElementAt(times.Count / 2);

/// <summary>Each side's median GFLOP/s and the pairs' ratio (ours/libtorch) at the median and quartiles.</summary>
internal readonly record struct Result(double Ours, double Theirs, double Ratio, double Low, double High)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Ours,6:F1} {Theirs,9:F1} {Ratio,6:F2}× ({Low:F2}–{High:F2})");
}
