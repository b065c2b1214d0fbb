using System.Collections.Immutable;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Geometry;

/// <summary>
/// The spatial part every windowed operator shares (convolution, transposed convolution, pooling): the input read as
/// <see cref="SpatialLayout"/> and one <see cref="WindowAxis"/> per spatial axis, outermost first. Planes are
/// row-major over the axes: the element at (i₀, …, i_{d−1}) of a plane sits at Σ i_a·Π_{b&gt;a} size_b.
/// </summary>
public sealed record SpatialWindows
{
    /// <exception cref="ArgumentException">The axes are not one per spatial axis of <paramref name="input"/>, or an axis's input is not the layout's size.</exception>
    public SpatialWindows(SpatialLayout input, ImmutableArray<WindowAxis> axes)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(axes.Length, input.SpatialDims, nameof(axes));
        for (var axis = 0; axis < axes.Length; axis++)
            ArgumentOutOfRangeException.ThrowIfNotEqual(axes[axis].Input, input.Size(axis), nameof(axes));
        (Input, Axes) = (input, axes);
    }

    public SpatialLayout Input { get; }

    public ImmutableArray<WindowAxis> Axes { get; }

    /// <summary>d.</summary>
    public int Dims => Axes.Length;

    /// <summary>N·C.</summary>
    public int Planes => Input.Planes;

    /// <summary>The spatial sizes of the output, per axis.</summary>
    public Spatial OutputSizes => new([.. Axes.Select(a => a.Output)]);

    /// <summary>The spatial sizes of the input with both paddings, per axis.</summary>
    public Spatial PaddedSizes => new([.. Axes.Select(a => (int)a.PaddedInput)]);

    /// <summary>The kernel (window) sizes, per axis.</summary>
    public Spatial KernelSizes => new([.. Axes.Select(a => a.Kernel)]);

    /// <summary>Elements of one input plane.</summary>
    public int InputPlaneLength => Product(a => a.Input);

    /// <summary>Elements of one output plane.</summary>
    public int OutputPlaneLength => Product(a => a.Output);

    /// <summary>Elements of one padded input plane.</summary>
    public int PaddedPlaneLength => Product(a => (int)a.PaddedInput);

    /// <summary>Taps of one window: the product of the kernel sizes.</summary>
    public int KernelCells => Product(a => a.Kernel);

    /// <summary>The output's shape: the input's form with <paramref name="channels"/> channels and the output sizes.</summary>
    public TensorShape OutputShape(int channels)
    {
        Span<int> sizes = stackalloc int[Axes.Length];
        for (var i = 0; i < sizes.Length; i++)
            sizes[i] = Axes[i].Output;
        return Input.Reshaped(channels, sizes);
    }

    /// <summary>The padded input as (N, C, padded sizes…), whatever the input's form.</summary>
    public TensorShape PaddedShape
    {
        get
        {
            Span<int> sizes = stackalloc int[Axes.Length];
            for (var i = 0; i < sizes.Length; i++)
                sizes[i] = (int)Axes[i].PaddedInput;
            return Input.Batched(sizes);
        }
    }

    private int Product(Func<WindowAxis, int> size)
    {
        var product = 1L;
        foreach (var axis in Axes)
            product *= size(axis);
        return checked((int)product);
    }
}
