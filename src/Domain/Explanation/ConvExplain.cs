using System.Collections.Immutable;
using System.Numerics;
using ConvService.Domain.Convolution;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Explanation;

/// <summary>
/// A convolution's cells written out as the sums they are, term by term in the call's precision, from the taps of
/// <see cref="ConvTaps"/>: an output cell, and a cell of each gradient. Cells are indices in their tensor's own rank.
/// Each costs the size of its sum, not the convolution's.
/// </summary>
public static class ConvExplain
{
    /// <summary>
    /// <c>out[n,o,i…] = Σ in·kernel + bias[o]</c>: the window's products (input channel by channel, taps row-major; a
    /// padding cell reads 0 or the cell it copies), then the bias.
    /// </summary>
    /// <exception cref="ArgumentException">The cell is not an index of the output, or a tensor does not fit <paramref name="geometry"/>.</exception>
    public static CellSum<T> Output<T>(ConvGeometry geometry, Tensor<T> input, Tensor<T> kernel, Tensor<T>? bias, ReadOnlySpan<int> cell)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckTensors(geometry, input, kernel);
        var output = PlaneCell.Of(geometry.Windows.Input.Form, geometry.SpatialDims, cell);
        var terms = ConvTaps.Window(geometry, output).Select(tap =>
        {
            var (x, read) = InputFactor(geometry, input, tap);
            return Term<T>.Of(x, WeightFactor(geometry, kernel, tap), read);
        });
        return CellSum<T>.Of([.. cell], terms, BiasFactor(bias, output.Channel));
    }

    /// <summary>
    /// <c>gradInput[n,c,x…] = Σ gradOutput[n,o,i…] · kernel[o,c',p…]</c> over the taps that read the cell (<see cref="ConvTaps.Readers"/>):
    /// directly, or through the padding cells that copy it. <paramref name="gradOutput"/> null means all ones.
    /// </summary>
    /// <exception cref="ArgumentException">The cell is not an index of the input, or a tensor does not fit <paramref name="geometry"/>.</exception>
    public static CellSum<T> GradInput<T>(ConvGeometry geometry, Tensor<T> kernel, Tensor<T>? gradOutput, ReadOnlySpan<int> cell)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckGradOutput(geometry, gradOutput);
        var form = geometry.Windows.Input.Form;
        var input = PlaneCell.Of(form, geometry.SpatialDims, cell);
        var terms = ConvTaps.Readers(geometry, input).Select(tap => Term<T>.Of(
            GradFactor(geometry, gradOutput, new PlaneCell(tap.Batch, tap.OutChannel, tap.Output)),
            WeightFactor(geometry, kernel, tap),
            tap.Padded ? new PlaneCell(tap.Batch, tap.InChannel, tap.Position).In(form) : null));
        return CellSum<T>.Of([.. cell], terms);
    }

    /// <summary>
    /// <c>gradKernel[o,c,p…] = Σ_n Σ_i… in[n, g·C/groups + c, i·s − padBegin + p·d …] · gradOutput[n,o,i…]</c>: every position
    /// the weight multiplied (<see cref="ConvTaps.Uses"/>) times the gradient of the output it went into.
    /// </summary>
    /// <exception cref="ArgumentException">The cell is not an index of the kernel, or a tensor does not fit <paramref name="geometry"/>.</exception>
    public static CellSum<T> GradKernel<T>(ConvGeometry geometry, Tensor<T> input, Tensor<T>? gradOutput, ReadOnlySpan<int> cell)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckGradOutput(geometry, gradOutput);
        var (outChannel, inChannel, tapIndex) = KernelCell(geometry, cell);
        var terms = ConvTaps.Uses(geometry, outChannel, inChannel, tapIndex).Select(tap =>
        {
            var (x, read) = InputFactor(geometry, input, tap);
            return Term<T>.Of(x, GradFactor(geometry, gradOutput, new PlaneCell(tap.Batch, tap.OutChannel, tap.Output)), read);
        });
        return CellSum<T>.Of([.. cell], terms);
    }

    /// <summary><c>gradBias[o] = Σ_n Σ_i… gradOutput[n,o,i…]</c>, batch by batch, cells row-major.</summary>
    /// <exception cref="ArgumentException">The cell is not an index of the bias, or gradOutput does not fit <paramref name="geometry"/>.</exception>
    public static CellSum<T> GradBias<T>(ConvGeometry geometry, Tensor<T>? gradOutput, ReadOnlySpan<int> cell)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckGradOutput(geometry, gradOutput);
        if (cell.Length != 1 || (uint)cell[0] >= (uint)geometry.OutChannels)
            throw new ArgumentOutOfRangeException(nameof(cell), $"a bias of {geometry.OutChannels} values has no cell [{string.Join(", ", cell.ToArray())}]");
        var channel = cell[0];
        var terms = Enumerable.Range(0, geometry.Batch).SelectMany(n => PlaneCell.Indices(geometry.Windows.OutputSizes.Values)
            .Select(spatial => Term<T>.Of(GradFactor(geometry, gradOutput, new PlaneCell(n, channel, spatial)))));
        return CellSum<T>.Of([.. cell], terms);
    }

    /// <summary>(Cout, C/groups, tap…) of a kernel index in the kernel's rank ((k…) for a single plane).</summary>
    /// <exception cref="ArgumentException">The index is not in the kernel's rank.</exception>
    public static (int OutChannel, int InChannel, ImmutableArray<int> Tap) KernelCell(ConvGeometry geometry, ReadOnlySpan<int> cell)
    {
        if (cell.Length != geometry.KernelShape.Rank)
            throw new ArgumentException($"an index of the kernel {geometry.KernelShape} has {geometry.KernelShape.Rank} entries; got {cell.Length}", nameof(cell));
        return geometry.Windows.Input.Form == SpatialForm.Single ? (0, 0, [.. cell]) : (cell[0], cell[1], [.. cell[2..]]);
    }

    /// <summary>The input factor of a tap (0 for zero padding) and, when it lies in the padding, its position in the input's rank.</summary>
    /// <remarks>
    /// <paramref name="input"/> is the tensor laid out as the geometry's input, read as <paramref name="operand"/> (a
    /// transposed convolution's gradOutput is its equivalent convolution's input); null means all ones.
    /// </remarks>
    internal static (Factor<T> Factor, ImmutableArray<int>? PaddedAt) InputFactor<T>(ConvGeometry geometry, Tensor<T>? input, ConvTap tap, Operand operand = Operand.Input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var form = geometry.Windows.Input.Form;
        var position = new PlaneCell(tap.Batch, tap.InChannel, tap.Position);
        if (tap.Source is not { } source)
            return (new Factor<T>(operand, position.In(form), T.Zero) { Padded = true }, position.In(form));
        var cell = new PlaneCell(tap.Batch, tap.InChannel, source);
        var value = input is null ? T.One : input.Span[(int)cell.Offset(geometry.InChannels, geometry.Windows.Input.Sizes)];
        return (new Factor<T>(operand, cell.In(form), value) { Padded = tap.Padded }, tap.Padded ? position.In(form) : null);
    }

    /// <summary>
    /// A tensor laid out as the geometry's output at an output cell, read as <paramref name="operand"/>: gradOutput (1
    /// when absent: all ones), or a transposed convolution's input.
    /// </summary>
    internal static Factor<T> GradFactor<T>(ConvGeometry geometry, Tensor<T>? gradOutput, PlaneCell output, Operand operand = Operand.GradOutput)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var value = gradOutput is null ? T.One : gradOutput.Span[(int)output.Offset(geometry.OutChannels, geometry.Windows.OutputSizes.Values.AsSpan())];
        return new Factor<T>(operand, output.In(geometry.Windows.Input.Form), value);
    }

    /// <summary>The kernel weight a tap multiplies.</summary>
    internal static Factor<T> WeightFactor<T>(ConvGeometry geometry, Tensor<T> kernel, ConvTap tap) where T : unmanaged, IFloatingPointIeee754<T> =>
        new(Operand.Kernel, ConvTaps.KernelIndex(geometry, tap), kernel.Span[(int)ConvTaps.KernelOffset(geometry, tap)]);

    /// <summary>bias[channel], or null without a bias.</summary>
    internal static Factor<T>? BiasFactor<T>(Tensor<T>? bias, int channel) where T : unmanaged, IFloatingPointIeee754<T> =>
        bias is null ? null : new Factor<T>(Operand.Bias, [channel], bias.Span[channel]);

    private static void CheckTensors<T>(ConvGeometry geometry, Tensor<T> input, Tensor<T> kernel) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!input.Shape.Equals(geometry.InputShape))
            throw new ArgumentException($"input has shape {input.Shape}; the geometry was resolved for {geometry.InputShape}", nameof(input));
        if (!kernel.Shape.Equals(geometry.KernelShape))
            throw new ArgumentException($"kernel has shape {kernel.Shape}; the geometry was resolved for {geometry.KernelShape}", nameof(kernel));
    }

    private static void CheckGradOutput<T>(ConvGeometry geometry, Tensor<T>? gradOutput) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (gradOutput is not null && ConvRules.CheckGradOutput(geometry.OutputShape, gradOutput.Shape) is { } problem)
            problem.Throw();
    }
}
