using ConvService.Domain.Convolution;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Tests.Support;

/// <summary>A random but valid convolution problem: sizes swept over 1, odd, even; strides, paddings, dilations, groups, modes.</summary>
internal sealed record RandomConv(int N, int C, int H, int W, int Cout, int KH, int KW, int Groups, ConvOptions Options, double[] Input, double[] Kernel, double[]? Bias)
{
    public static RandomConv Draw(Random random)
    {
        while (true)
        {
            var groups = random.Next(1, 4);
            var c = groups * random.Next(1, 3);
            var cout = groups * random.Next(1, 3);
            int h = random.Next(1, 9), w = random.Next(1, 9), kh = random.Next(1, 4), kw = random.Next(1, 4);
            var mode = (PaddingMode)random.Next(4);
            var stride = new Spatial(random.Next(1, 4), random.Next(1, 4));
            var dilation = new Spatial(random.Next(1, 3), random.Next(1, 3));
            var padding = random.Next(5) switch
            {
                0 => ConvPadding.Valid,
                1 when stride[0] == 1 && stride[1] == 1 => ConvPadding.Same,
                _ => ConvPadding.Explicit(new Spatial(random.Next(0, 3), random.Next(0, 3))),
            };
            var options = new ConvOptions(2, stride, padding, dilation, groups, mode);
            var n = random.Next(1, 3);
            var input = new TensorShape(n, c, h, w);
            var kernel = new TensorShape(cout, c / groups, kh, kw);
            if (ConvRules.Check(input, kernel, null, options).Count > 0)
                continue;
            var bias = random.Next(2) == 0 ? null : Values(random, cout);
            return new RandomConv(n, c, h, w, cout, kh, kw, groups, options, Values(random, n * c * h * w), Values(random, cout * (c / groups) * kh * kw), bias);
        }
    }

    public TensorShape InputShape => new(N, C, H, W);

    public TensorShape KernelShape => new(Cout, C / Groups, KH, KW);

    public double[] ReferenceForward()
    {
        var pads = new (int, int)[2];
        for (var axis = 0; axis < 2; axis++)
        {
            var (begin, end) = Options.Padding.Resolve(axis, axis == 0 ? H : W, axis == 0 ? KH : KW, Options.Stride[axis], Options.Dilation[axis]);
            pads[axis] = ((int)begin, (int)end);
        }
        return Reference.Conv2d(Input, N, C, H, W, Kernel, Cout, KH, KW, Bias, [.. Options.Stride.Values], pads, [.. Options.Dilation.Values], Groups, Options.PaddingMode);
    }

    public override string ToString() =>
        $"input {InputShape}, kernel {KernelShape}, bias {Bias is not null}, stride {Options.Stride}, padding {Options.Padding}, dilation {Options.Dilation}, groups {Groups}, {Options.PaddingMode}";

    private static double[] Values(Random random, int count) => [.. Enumerable.Range(0, count).Select(_ => Math.Round(random.NextDouble() * 4 - 2, 3))];
}
