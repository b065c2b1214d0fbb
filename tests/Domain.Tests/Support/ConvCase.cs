using ConvService.Domain.Convolution;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Tests.Support;

/// <summary>
/// A random but valid convolution with d spatial axes, in one of the three forms (one line/plane/volume, unbatched,
/// batched), with every padding kind (explicit symmetric or [begin, end], valid, same, same-upper, same-lower) and mode.
/// Its padding amounts are resolved here from API.md's formulas, not by the code under test.
/// </summary>
internal sealed record ConvCase(SpatialForm Form, int N, int C, int[] Sizes, int Cout, int[] K, int Groups, int[] Stride, int[] Dilation,
    ConvPadding Padding, (int Begin, int End)[] Pads, PaddingMode Mode)
{
    private static readonly string[] Kinds = ["explicit", "pairs", "valid", "same", "same-upper", "same-lower"];

    public int D => Sizes.Length;

    public int[] OutSizes => [.. Enumerable.Range(0, D).Select(a => (Sizes[a] + Pads[a].Begin + Pads[a].End - Dilation[a] * (K[a] - 1) - 1) / Stride[a] + 1)];

    public TensorShape InputShape => Form switch
    {
        SpatialForm.Single => new(Sizes),
        SpatialForm.Unbatched => new([C, .. Sizes]),
        _ => new([N, C, .. Sizes]),
    };

    public TensorShape KernelShape => Form == SpatialForm.Single ? new(K) : new([Cout, C / Groups, .. K]);

    public TensorShape OutputShape => Form switch
    {
        SpatialForm.Single => new(OutSizes),
        SpatialForm.Unbatched => new([Cout, .. OutSizes]),
        _ => new([N, Cout, .. OutSizes]),
    };

    public int InputLength => N * C * NdReference.Product(Sizes);

    public int KernelLength => Cout * (C / Groups) * NdReference.Product(K);

    public int OutputLength => N * Cout * NdReference.Product(OutSizes);

    public ConvOptions Options => new(D, new Spatial(Stride), Padding, new Spatial(Dilation), Groups, Mode);

    /// <summary>Draws until the Domain's rules accept the case; sizes up to <paramref name="maxSize"/> per axis.</summary>
    public static ConvCase Draw(Random random, int d, int maxSize)
    {
        while (true)
        {
            var form = (SpatialForm)random.Next(3);
            var groups = form == SpatialForm.Single ? 1 : random.Next(1, 4);
            var (c, cout) = form == SpatialForm.Single ? (1, 1) : (groups * random.Next(1, 3), groups * random.Next(1, 3));
            var n = form == SpatialForm.Batched ? random.Next(1, 3) : 1;
            var sizes = Axes(random, d, 1, maxSize);
            var k = Axes(random, d, 1, d == 3 ? 3 : 4);
            var stride = Axes(random, d, 1, 3);
            var dilation = Axes(random, d, 1, 2);
            var mode = (PaddingMode)random.Next(4);
            var kind = Kinds[random.Next(Kinds.Length)];
            if (kind == "same")
                stride = Axes(random, d, 1, 1);
            var (begin, end) = (Axes(random, d, 0, 2), Axes(random, d, 0, 2));
            if (kind == "explicit")
                end = begin;
            var padding = kind switch
            {
                "valid" => ConvPadding.Valid,
                "same" => ConvPadding.Same,
                "same-upper" => ConvPadding.SameUpper,
                "same-lower" => ConvPadding.SameLower,
                _ => ConvPadding.Explicit(new Spatial(begin), new Spatial(end)),
            };
            var pads = Enumerable.Range(0, d).Select(a => Pad(kind, begin[a], end[a], sizes[a], k[a], stride[a], dilation[a])).ToArray();
            var problem = new ConvCase(form, n, c, sizes, cout, k, groups, stride, dilation, padding, pads, mode);
            if (ConvRules.Check(problem.InputShape, problem.KernelShape, null, problem.Options).Count == 0)
                return problem;
        }
    }

    public override string ToString() =>
        $"{D}-D {Form}: input {InputShape}, kernel {KernelShape}, groups {Groups}, stride {string.Join('×', Stride)}, dilation {string.Join('×', Dilation)}, " +
        $"padding {Padding} = {string.Join(' ', Pads.Select(p => $"[{p.Begin},{p.End}]"))}, {Mode}";

    /// <summary>API.md: "same" splits d·(K − 1) with the odd cell at the end; same-upper/lower aim at ceil(I / s) with it at the end / beginning.</summary>
    private static (int, int) Pad(string kind, int begin, int end, int size, int k, int s, int dilation)
    {
        switch (kind)
        {
            case "valid":
                return (0, 0);
            case "same":
                var total = dilation * (k - 1);
                return (total / 2, total - total / 2);
            case "same-upper" or "same-lower":
                var output = (size + s - 1) / s;
                var needed = Math.Max(0, (output - 1) * s + dilation * (k - 1) + 1 - size);
                var (small, big) = (needed / 2, needed - needed / 2);
                return kind == "same-upper" ? (small, big) : (big, small);
            default:
                return (begin, end);
        }
    }

    private static int[] Axes(Random random, int d, int least, int most) => [.. Enumerable.Range(0, d).Select(_ => random.Next(least, most + 1))];
}
