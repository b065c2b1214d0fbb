using ConvService.Domain.Tensors;

namespace ConvService.Domain.Geometry;

/// <summary>How a tensor of rank d, d + 1 or d + 2 holds its data for an operator with d spatial axes.</summary>
public enum SpatialForm
{
    /// <summary>Rank d: one line (L), plane (H, W) or volume (D, H, W); N = C = 1.</summary>
    Single,

    /// <summary>Rank d + 1: (C, …); N = 1.</summary>
    Unbatched,

    /// <summary>Rank d + 2: (N, C, …).</summary>
    Batched,
}

/// <summary>
/// A tensor shape read for an operator with <see cref="SpatialDims"/> = d spatial axes (1: L; 2: H, W; 3: D, H, W):
/// rank d is one line, plane or volume, rank d + 1 is unbatched (C, …), rank d + 2 is batched (N, C, …). Convolution,
/// transposed convolution and pooling read their inputs through it, and write outputs of the same form with
/// <see cref="Reshaped"/>. The static helpers phrase the rules and messages about ranks that every operator shares.
/// </summary>
public readonly record struct SpatialLayout
{
    /// <summary>The most spatial axes an operator has.</summary>
    public const int MaxSpatialDims = 3;

    private SpatialLayout(TensorShape shape, int spatialDims, SpatialForm form) => (Shape, SpatialDims, Form) = (shape, spatialDims, form);

    public TensorShape Shape { get; }

    /// <summary>d, the number of spatial axes.</summary>
    public int SpatialDims { get; }

    public SpatialForm Form { get; }

    /// <summary>N: the leading dimension of a batched shape, else 1.</summary>
    public int Batch => Form == SpatialForm.Batched ? Shape[0] : 1;

    /// <summary>C: the dimension before the spatial ones, or 1 for a single line, plane or volume.</summary>
    public int Channels => Form == SpatialForm.Single ? 1 : Shape[Shape.Rank - SpatialDims - 1];

    /// <summary>N·C: the lines, planes or volumes the tensor holds.</summary>
    public int Planes => Batch * Channels;

    /// <summary>The d spatial sizes, outermost first.</summary>
    public ReadOnlySpan<int> Sizes => Shape.Dims.AsSpan()[(Shape.Rank - SpatialDims)..];

    /// <summary>The product of the spatial sizes: one plane's elements.</summary>
    public long PlaneLength => TensorShape.CheckedProduct(Sizes) ?? long.MaxValue;

    /// <summary>The size of spatial axis <paramref name="axis"/> (0 = outermost).</summary>
    public int Size(int axis) => Shape[Shape.Rank - SpatialDims + axis];

    /// <summary>Reads <paramref name="shape"/> with <paramref name="spatialDims"/> spatial axes.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="spatialDims"/> is not 1, 2 or 3.</exception>
    /// <exception cref="ArgumentException">The rank is not d, d + 1 or d + 2 (see <see cref="RankProblem"/> for the message a client sees).</exception>
    public static SpatialLayout Of(TensorShape shape, int spatialDims)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(spatialDims, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(spatialDims, MaxSpatialDims);
        if (!Fits(shape.Rank, spatialDims))
            throw new ArgumentException($"a tensor of rank {shape.Rank} ({shape}) has no layout with {spatialDims} spatial axes", nameof(shape));
        return new SpatialLayout(shape, spatialDims, (SpatialForm)(shape.Rank - spatialDims));
    }

    /// <summary>Whether rank <paramref name="rank"/> is d, d + 1 or d + 2.</summary>
    public static bool Fits(int rank, int spatialDims) => rank >= spatialDims && rank <= spatialDims + 2;

    /// <summary>The form a shape of rank <paramref name="rank"/> has for <paramref name="spatialDims"/>.</summary>
    public static SpatialForm FormOf(int rank, int spatialDims) => (SpatialForm)(rank - spatialDims);

    /// <summary>A shape of this form with <paramref name="channels"/> channels and the given spatial sizes (the batch kept).</summary>
    /// <exception cref="ArgumentException">A single line, plane or volume asked for more than one channel, or the sizes are not d.</exception>
    public TensorShape Reshaped(int channels, ReadOnlySpan<int> sizes)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(sizes.Length, SpatialDims, nameof(sizes));
        if (Form == SpatialForm.Single)
        {
            ArgumentOutOfRangeException.ThrowIfNotEqual(channels, 1, nameof(channels));
            return new TensorShape(sizes);
        }
        Span<int> dims = stackalloc int[Shape.Rank];
        if (Form == SpatialForm.Batched)
            dims[0] = Batch;
        dims[Shape.Rank - SpatialDims - 1] = channels;
        sizes.CopyTo(dims[(Shape.Rank - SpatialDims)..]);
        return new TensorShape(dims);
    }

    /// <summary>(N, C, …) with this tensor's batch and channels and the given spatial sizes, whatever its form.</summary>
    public TensorShape Batched(ReadOnlySpan<int> sizes)
    {
        Span<int> dims = stackalloc int[sizes.Length + 2];
        (dims[0], dims[1]) = (Batch, Channels);
        sizes.CopyTo(dims[2..]);
        return new TensorShape(dims);
    }

    /// <summary>The name of spatial axis <paramref name="axis"/>: "length"; "height", "width"; "depth", "height", "width".</summary>
    public static string AxisName(int axis, int spatialDims) => spatialDims switch
    {
        1 => "length",
        2 => axis == 0 ? "height" : "width",
        _ => axis switch { 0 => "depth", 1 => "height", _ => "width" },
    };

    /// <summary>"(L)", "(H, W)" or "(D, H, W)".</summary>
    public static string AxisLetters(int spatialDims) => spatialDims switch { 1 => "L", 2 => "H, W", _ => "D, H, W" };

    /// <summary>The dimensions of a form, as messages write them: "(N, C, H, W)".</summary>
    public static string Dimensions(SpatialForm form, int spatialDims) => form switch
    {
        SpatialForm.Single => $"({AxisLetters(spatialDims)})",
        SpatialForm.Unbatched => $"(C, {AxisLetters(spatialDims)})",
        _ => $"(N, C, {AxisLetters(spatialDims)})",
    };

    /// <summary>"rank 2 (H, W), 3 (C, H, W) or 4 (N, C, H, W)": the ranks an input may have.</summary>
    public static string Ranks(int spatialDims) =>
        $"rank {spatialDims} {Dimensions(SpatialForm.Single, spatialDims)}, {spatialDims + 1} {Dimensions(SpatialForm.Unbatched, spatialDims)} " +
        $"or {spatialDims + 2} {Dimensions(SpatialForm.Batched, spatialDims)}";

    /// <summary>"1-D batched", "2-D unbatched", "3-D single-volume": a form in a message.</summary>
    public static string Describe(SpatialForm form, int spatialDims) => form switch
    {
        SpatialForm.Single => $"{spatialDims}-D single-{Single(spatialDims)}",
        SpatialForm.Unbatched => $"{spatialDims}-D unbatched",
        _ => $"{spatialDims}-D batched",
    };

    /// <summary>
    /// The problem with <paramref name="parameter"/> of shape <paramref name="shape"/> for <paramref name="spatialDims"/>, or
    /// null when its rank fits: "input must have rank 2 (H, W), 3 (C, H, W) or 4 (N, C, H, W) for spatialDims 2; got rank 5
    /// (…): for a 3-D batched pooling send spatialDims 3". <paramref name="operation"/> is what the hint calls the call.
    /// </summary>
    public static ParameterProblem? RankProblem(string parameter, TensorShape shape, int spatialDims, string operation)
    {
        if (Fits(shape.Rank, spatialDims))
            return null;
        var hint = Hint(shape.Rank, spatialDims, operation, d => Fits(shape.Rank, d));
        return new(parameter, $"{parameter} must have {Ranks(spatialDims)} for spatialDims {spatialDims}; got rank {shape.Rank} ({shape}){hint}");
    }

    /// <summary>
    /// ": for a 1-D batched convolution send spatialDims 1" — the spatialDims other than <paramref name="spatialDims"/> under
    /// which <paramref name="fits"/> holds, read as forms of an input of rank <paramref name="rank"/>; empty when there is none.
    /// </summary>
    public static string Hint(int rank, int spatialDims, string operation, Func<int, bool> fits)
    {
        var others = Enumerable.Range(1, MaxSpatialDims).Where(d => d != spatialDims && Fits(rank, d) && fits(d)).ToArray();
        return others.Length == 0 ? "" : ": " + string.Join("; ", others.Select(d => $"for a {Describe(FormOf(rank, d), d)} {operation} send spatialDims {d}"));
    }

    /// <summary>
    /// The problem with a per-axis list of <paramref name="count"/> entries when <paramref name="spatialDims"/> asks for d:
    /// "stride has 3 entries, one per axis (D, H, W) of a 3-D call: send spatialDims 3, or 2 entries (H, W)".
    /// </summary>
    public static ParameterProblem? ListProblem(string parameter, int count, int spatialDims)
    {
        if (count == spatialDims)
            return null;
        var fits = count is >= 1 and <= MaxSpatialDims ? $": for a {count}-D call send spatialDims {count}" : "";
        return new(parameter, $"{parameter} has {count} entries but spatialDims {spatialDims} needs one integer or {spatialDims} ({AxisLetters(spatialDims)}){fits}");
    }

    public override string ToString() => $"{Shape} as {Describe(Form, SpatialDims)}";

    private static string Single(int spatialDims) => spatialDims switch { 1 => "line", 2 => "plane", _ => "volume" };
}
