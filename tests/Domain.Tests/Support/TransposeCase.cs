using ConvService.Domain.Convolution;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Tests.Support;

/// <summary>
/// A random but valid transposed convolution with d spatial axes in one of the three forms, with stride, padding,
/// dilation, groups and the output padding given directly or chosen through an outputSize.
/// </summary>
internal sealed record TransposeCase(SpatialForm Form, int N, int C, int[] Sizes, int CoutPerGroup, int[] K, int Groups, int[] Stride, int[] Dilation,
    int[] Padding, int[] OutputPadding, bool BySize)
{
    public int D => Sizes.Length;

    public int Cout => CoutPerGroup * Groups;

    /// <summary>API.md: O = (I − 1)·stride − 2·padding + dilation·(K − 1) + outputPadding + 1.</summary>
    public int[] OutSizes => [.. Enumerable.Range(0, D).Select(a => (Sizes[a] - 1) * Stride[a] - 2 * Padding[a] + Dilation[a] * (K[a] - 1) + OutputPadding[a] + 1)];

    public TensorShape InputShape => Shape(C, Sizes);

    public TensorShape KernelShape => Form == SpatialForm.Single ? new(K) : new([C, CoutPerGroup, .. K]);

    public TensorShape OutputShape => Shape(Cout, OutSizes);

    public int InputLength => N * C * NdReference.Product(Sizes);

    public int KernelLength => C * CoutPerGroup * NdReference.Product(K);

    public int OutputLength => N * Cout * NdReference.Product(OutSizes);

    public ConvTransposeOptions Options => new(D, new Spatial(Stride), new Spatial(Padding), new Spatial(Dilation), Groups,
        BySize ? null : new Spatial(OutputPadding), BySize ? new Spatial(OutSizes) : null);

    public static TransposeCase Draw(Random random, int d, int maxSize)
    {
        while (true)
        {
            var form = (SpatialForm)random.Next(3);
            var groups = form == SpatialForm.Single ? 1 : random.Next(1, 4);
            var (c, coutPerGroup) = form == SpatialForm.Single ? (1, 1) : (groups * random.Next(1, 3), random.Next(1, 3));
            var n = form == SpatialForm.Batched ? random.Next(1, 3) : 1;
            var stride = Axes(random, d, 1, 3);
            var dilation = Axes(random, d, 1, 3);
            // Output padding below the stride or below the dilation, as PyTorch allows.
            var outputPadding = Enumerable.Range(0, d).Select(a => random.Next(Math.Max(stride[a], dilation[a]))).ToArray();
            var problem = new TransposeCase(form, n, c, Axes(random, d, 1, maxSize), coutPerGroup, Axes(random, d, 1, 3), groups, stride, dilation,
                Axes(random, d, 0, 2), outputPadding, random.Next(3) == 0 && outputPadding.Zip(stride).All(p => p.First < p.Second));
            if (ConvRules.CheckTransposed(problem.InputShape, problem.KernelShape, null, problem.Options).Count == 0)
                return problem;
        }
    }

    public (double[] Output, int[] Sizes) Reference(double[] x, double[] w, double[]? bias) =>
        NdReference.ConvTranspose(x, N, C, Sizes, w, CoutPerGroup, K, bias, Stride, Dilation, Padding, OutputPadding, Groups);

    public override string ToString() =>
        $"{D}-D {Form}: input {InputShape}, kernel {KernelShape}, groups {Groups}, stride {string.Join('×', Stride)}, padding {string.Join('×', Padding)}, " +
        $"dilation {string.Join('×', Dilation)}, {(BySize ? "outputSize " + string.Join('×', OutSizes) : "outputPadding " + string.Join('×', OutputPadding))}";

    private TensorShape Shape(int channels, int[] sizes) => Form switch
    {
        SpatialForm.Single => new(sizes),
        SpatialForm.Unbatched => new([channels, .. sizes]),
        _ => new([N, channels, .. sizes]),
    };

    private static int[] Axes(Random random, int d, int least, int most) => [.. Enumerable.Range(0, d).Select(_ => random.Next(least, most + 1))];
}
