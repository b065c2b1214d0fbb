using ConvService.Domain.Convolution;
using ConvService.Domain.Convolution.Kernels;
using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Tests.Convolution;

public class PixelGridTests
{
    [Theory]
    [InlineData(new[] { 1, 1, 9 }, new[] { 1, 1, 3 }, new[] { 2 })]
    [InlineData(new[] { 1, 1, 6, 7 }, new[] { 1, 1, 2, 3 }, new[] { 2, 1 })]
    [InlineData(new[] { 1, 1, 5, 6, 7 }, new[] { 1, 1, 2, 2, 3 }, new[] { 2, 3, 1 })]
    public void EveryOutputIsTheVirtualPixelOfItsIndex(int[] input, int[] kernel, int[] stride)
    {
        var d = stride.Length;
        var geometry = ConvGeometry.Create(new TensorShape(input), new TensorShape(kernel), null, ConvOptions.Default(d) with { Stride = new Spatial(stride) });
        var grid = PixelGrid.Of(geometry);
        var padded = input[2..];
        var outputs = geometry.OutputShape.Dims.AsSpan()[2..].ToArray();

        for (var row = 0; row < grid.Rows; row++)
        {
            // The row's outer indices, row-major, and the virtual pixel of its first column: Σ i_a·stride_a·Π_{b>a} P_b.
            var (rest, start) = (row, 0);
            for (var a = d - 2; a >= 0; a--)
            {
                start += rest % outputs[a] * stride[a] * padded[(a + 1)..].Aggregate(1, (x, y) => x * y);
                rest /= outputs[a];
            }
            Assert.Equal(start, grid.RowStart(row));
            Assert.Equal(row, grid.RowAt(start));
            Assert.Equal(row, grid.RowAt(start + (grid.Columns - 1) * grid.ColumnStep));
        }
        Assert.Equal(outputs.Aggregate(1, (x, y) => x * y), grid.Outputs);
        Assert.Equal(grid.RowStart(grid.Rows - 1) + (grid.Columns - 1) * grid.ColumnStep + 1, grid.Length);
    }
}
