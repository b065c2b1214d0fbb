using System.Numerics;
using ConvService.Domain.Convolution;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Explanation;

/// <summary>
/// A transposed convolution's cells written out as sums, through its equivalent forward convolution
/// (<see cref="ConvTransposeGeometry.Forward"/>, whose input has this call's output shape): an output cell gathers the
/// taps that read it there (<see cref="ConvTaps.Readers"/>), an input-gradient cell is that convolution's window over
/// gradOutput, a kernel-gradient cell the positions the weight multiplied. Cells are indices in their tensor's own rank.
/// </summary>
public static class ConvTransposeExplain
{
    /// <summary>
    /// <c>out[n, o', x…] = Σ in[n, c, i…] · kernel[c, o, p…] + bias[o']</c> over the input cells and taps with
    /// <c>i·s − padding + p·d = x</c> on every axis; an output-padding cell past the last window holds the bias alone.
    /// </summary>
    /// <exception cref="ArgumentException">The cell is not an index of the output.</exception>
    public static CellSum<T> Output<T>(ConvTransposeGeometry geometry, Tensor<T> input, Tensor<T> kernel, Tensor<T>? bias, ReadOnlySpan<int> cell)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var f = geometry.Forward;
        var output = PlaneCell.Of(f.Windows.Input.Form, f.SpatialDims, cell);
        var terms = ConvTaps.Readers(f, output).Select(tap => Term<T>.Of(
            ConvExplain.GradFactor(f, input, new PlaneCell(tap.Batch, tap.OutChannel, tap.Output), Operand.Input),
            ConvExplain.WeightFactor(f, kernel, tap)));
        return CellSum<T>.Of([.. cell], terms, ConvExplain.BiasFactor(bias, output.Channel));
    }

    /// <summary>
    /// <c>gradInput[n, c, i…] = Σ gradOutput[n, o', i·s − padding + p·d …] · kernel[c, o, p…]</c>: the input cell's
    /// footprint on the output; taps that land on cropped cells (the padding taken off the output) read 0.
    /// </summary>
    /// <exception cref="ArgumentException">The cell is not an index of the input.</exception>
    public static CellSum<T> GradInput<T>(ConvTransposeGeometry geometry, Tensor<T> kernel, Tensor<T>? gradOutput, ReadOnlySpan<int> cell)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var f = geometry.Forward;
        var input = PlaneCell.Of(f.Windows.Input.Form, f.SpatialDims, cell);
        var terms = ConvTaps.Window(f, input).Select(tap =>
        {
            var (g, cropped) = ConvExplain.InputFactor(f, gradOutput, tap, Operand.GradOutput);
            return Term<T>.Of(g, ConvExplain.WeightFactor(f, kernel, tap), cropped);
        });
        return CellSum<T>.Of([.. cell], terms);
    }

    /// <summary><c>gradKernel[c, o, p…] = Σ_n Σ_i… in[n, c, i…] · gradOutput[n, o', i·s − padding + p·d …]</c>.</summary>
    /// <exception cref="ArgumentException">The cell is not an index of the kernel.</exception>
    public static CellSum<T> GradKernel<T>(ConvTransposeGeometry geometry, Tensor<T> input, Tensor<T>? gradOutput, ReadOnlySpan<int> cell)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var f = geometry.Forward;
        var (outChannel, inChannel, tapIndex) = ConvExplain.KernelCell(f, cell);
        var terms = ConvTaps.Uses(f, outChannel, inChannel, tapIndex).Select(tap =>
        {
            var (g, cropped) = ConvExplain.InputFactor(f, gradOutput, tap, Operand.GradOutput);
            return Term<T>.Of(ConvExplain.GradFactor(f, input, new PlaneCell(tap.Batch, tap.OutChannel, tap.Output), Operand.Input), g, cropped);
        });
        return CellSum<T>.Of([.. cell], terms);
    }

    /// <summary><c>gradBias[o] = Σ_n Σ_x… gradOutput[n, o, x…]</c>, batch by batch, cells row-major.</summary>
    /// <exception cref="ArgumentException">The cell is not an index of the bias.</exception>
    public static CellSum<T> GradBias<T>(ConvTransposeGeometry geometry, Tensor<T>? gradOutput, ReadOnlySpan<int> cell)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var f = geometry.Forward;
        if (cell.Length != 1 || (uint)cell[0] >= (uint)geometry.OutChannels)
            throw new ArgumentOutOfRangeException(nameof(cell), $"a bias of {geometry.OutChannels} values has no cell [{string.Join(", ", cell.ToArray())}]");
        var (sizes, channel) = (f.Windows.Input.Sizes.ToArray(), cell[0]);
        var terms = Enumerable.Range(0, f.Batch).SelectMany(n => PlaneCell.Indices([.. sizes]).Select(spatial =>
        {
            var at = new PlaneCell(n, channel, spatial);
            var value = gradOutput is null ? T.One : gradOutput.Span[(int)at.Offset(f.InChannels, sizes)];
            return Term<T>.Of(new Factor<T>(Operand.GradOutput, at.In(f.Windows.Input.Form), value));
        }));
        return CellSum<T>.Of([.. cell], terms);
    }
}
