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
        var terms = new List<Term<T>>();
        var sum = T.Zero;
        foreach (var tap in ConvTaps.Readers(f, output))
        {
            var x = ConvExplain.GradFactor(f, input, new PlaneCell(tap.Batch, tap.OutChannel, tap.Output), Operand.Input);
            var w = new Factor<T>(Operand.Kernel, ConvTaps.KernelIndex(f, tap), kernel.Span[(int)ConvTaps.KernelOffset(f, tap)]);
            var product = x.Value * w.Value;
            sum += product;
            terms.Add(new Term<T>(x, w, product));
        }
        return ConvExplain.WithBias(cell, terms, sum, bias, output.Channel);
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
        var terms = new List<Term<T>>();
        var sum = T.Zero;
        foreach (var tap in ConvTaps.Window(f, input))
        {
            var (g, cropped) = ConvExplain.InputFactor(f, gradOutput, tap, Operand.GradOutput);
            var w = new Factor<T>(Operand.Kernel, ConvTaps.KernelIndex(f, tap), kernel.Span[(int)ConvTaps.KernelOffset(f, tap)]);
            var product = g.Value * w.Value;
            sum += product;
            terms.Add(new Term<T>(g, w, product, cropped));
        }
        return new CellSum<T>([.. cell], terms, null, sum);
    }

    /// <summary><c>gradKernel[c, o, p…] = Σ_n Σ_i… in[n, c, i…] · gradOutput[n, o', i·s − padding + p·d …]</c>.</summary>
    /// <exception cref="ArgumentException">The cell is not an index of the kernel.</exception>
    public static CellSum<T> GradKernel<T>(ConvTransposeGeometry geometry, Tensor<T> input, Tensor<T>? gradOutput, ReadOnlySpan<int> cell)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var f = geometry.Forward;
        var (outChannel, inChannel, tapIndex) = ConvExplain.KernelCell(f, cell);
        var terms = new List<Term<T>>();
        var sum = T.Zero;
        foreach (var tap in ConvTaps.Uses(f, outChannel, inChannel, tapIndex))
        {
            var x = ConvExplain.GradFactor(f, input, new PlaneCell(tap.Batch, tap.OutChannel, tap.Output), Operand.Input);
            var (g, cropped) = ConvExplain.InputFactor(f, gradOutput, tap, Operand.GradOutput);
            var product = x.Value * g.Value;
            sum += product;
            terms.Add(new Term<T>(x, g, product, cropped));
        }
        return new CellSum<T>([.. cell], terms, null, sum);
    }

    /// <summary><c>gradBias[o] = Σ_n Σ_x… gradOutput[n, o, x…]</c>, batch by batch, cells row-major.</summary>
    /// <exception cref="ArgumentException">The cell is not an index of the bias.</exception>
    public static CellSum<T> GradBias<T>(ConvTransposeGeometry geometry, Tensor<T>? gradOutput, ReadOnlySpan<int> cell)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var f = geometry.Forward;
        if (cell.Length != 1 || (uint)cell[0] >= (uint)geometry.OutChannels)
            throw new ArgumentOutOfRangeException(nameof(cell), $"a bias of {geometry.OutChannels} values has no cell [{string.Join(", ", cell.ToArray())}]");
        var sizes = f.Windows.Input.Sizes.ToArray();
        var terms = new List<Term<T>>();
        var sum = T.Zero;
        for (var n = 0; n < f.Batch; n++)
        {
            foreach (var spatial in PlaneCell.Indices([.. sizes]))
            {
                var at = new PlaneCell(n, cell[0], spatial);
                var value = gradOutput is null ? T.One : gradOutput.Span[(int)at.Offset(f.InChannels, sizes)];
                var g = new Factor<T>(Operand.GradOutput, at.In(f.Windows.Input.Form), value);
                sum += value;
                terms.Add(new Term<T>(g, null, value));
            }
        }
        return new CellSum<T>([.. cell], terms, null, sum);
    }
}
