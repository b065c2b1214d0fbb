using ConvService.Domain.Tensors;

namespace ConvService.Domain.Tests.Support;

/// <summary>
/// A random pooling input for d spatial axes in one of its three rank forms (lone, (C, …), (N, C, …)), with helpers to
/// draw per-axis options and to compare an output plane by plane.
/// </summary>
internal sealed class RandomCall
{
    private readonly Random _random;
    private readonly double[] _values;

    private RandomCall(Random random, int[] lead, int[] sizes, bool positive)
    {
        _random = random;
        Sizes = sizes;
        Shape = new TensorShape([.. lead, .. sizes]);
        Planes = PoolReference.Product(lead);
        _values = [.. Enumerable.Range(0, Planes * PoolReference.Product(sizes)).Select(_ => positive ? 0.1 + 3 * random.NextDouble() : 4 * random.NextDouble() - 2)];
    }

    public delegate void PlaneCheck(double[] plane, ReadOnlySpan<double> actual, int p, string what);

    public int[] Sizes { get; }

    public TensorShape Shape { get; }

    public int Planes { get; }

    /// <summary>Spatial sizes from <paramref name="least"/> to 12 (1-D), 8 (2-D) or 6 (3-D); rank form at random.</summary>
    public static RandomCall Of(Random random, int dims, bool positive = false, int least = 1)
    {
        var most = dims switch { 1 => 12, 2 => 8, _ => 6 };
        var sizes = Enumerable.Range(0, dims).Select(_ => random.Next(least, most + 1)).ToArray();
        int[] lead = random.Next(3) switch { 0 => [], 1 => [random.Next(1, 4)], _ => [random.Next(1, 3), random.Next(1, 4)] };
        return new RandomCall(random, lead, sizes, positive);
    }

    /// <summary>One random integer per axis in [least, most].</summary>
    public int[] PerAxis(int least, int most) => [.. Sizes.Select(_ => _random.Next(least, most + 1))];

    public Tensor<double> Input() => Tensor<double>.Wrap(Shape, _values.ToArray());

    /// <summary>The last d dimensions of <paramref name="shape"/>.</summary>
    public int[] SpatialOf(TensorShape shape) => [.. shape.Dims.Skip(shape.Rank - Sizes.Length)];

    /// <summary>Calls <paramref name="check"/> with each input plane and the matching slice of <paramref name="output"/>.</summary>
    public void ForEachPlane(Tensor<double> output, PlaneCheck check)
    {
        var (inLength, outLength) = (PoolReference.Product(Sizes), output.Length / Planes);
        for (var p = 0; p < Planes; p++)
            check(_values.AsSpan(p * inLength, inLength).ToArray(), output.Span.Slice(p * outLength, outLength), p, $"{Shape} plane {p}");
    }
}
