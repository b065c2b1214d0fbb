using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Tests.Geometry;

public class SpatialLayoutTests
{
    [Theory]
    [InlineData(new[] { 7 }, 1, SpatialForm.Single, 1, 1, new[] { 7 })]
    [InlineData(new[] { 3, 7 }, 1, SpatialForm.Unbatched, 1, 3, new[] { 7 })]
    [InlineData(new[] { 2, 3, 7 }, 1, SpatialForm.Batched, 2, 3, new[] { 7 })]
    [InlineData(new[] { 2, 3, 7 }, 2, SpatialForm.Unbatched, 1, 2, new[] { 3, 7 })]
    [InlineData(new[] { 2, 3, 7 }, 3, SpatialForm.Single, 1, 1, new[] { 2, 3, 7 })]
    [InlineData(new[] { 4, 2, 5, 6, 7 }, 3, SpatialForm.Batched, 4, 2, new[] { 5, 6, 7 })]
    public void Of_ReadsTheFormBatchChannelsAndSizes(int[] shape, int d, SpatialForm form, int batch, int channels, int[] sizes)
    {
        var layout = SpatialLayout.Of(new TensorShape(shape), d);

        Assert.Equal(form, layout.Form);
        Assert.Equal(batch, layout.Batch);
        Assert.Equal(channels, layout.Channels);
        Assert.Equal(sizes, layout.Sizes.ToArray());
        Assert.Equal(batch * channels, layout.Planes);
    }

    [Theory]
    [InlineData(new[] { 7 }, 1, 1, new[] { 4 }, new[] { 4 })]
    [InlineData(new[] { 3, 7 }, 1, 5, new[] { 4 }, new[] { 5, 4 })]
    [InlineData(new[] { 2, 3, 4, 4, 4 }, 3, 6, new[] { 2, 2, 2 }, new[] { 2, 6, 2, 2, 2 })]
    public void Reshaped_KeepsTheFormAndBatch(int[] shape, int d, int channels, int[] sizes, int[] expected)
    {
        Assert.Equal(new TensorShape(expected), SpatialLayout.Of(new TensorShape(shape), d).Reshaped(channels, sizes));
    }

    [Fact]
    public void Of_ThrowsForARankThatDoesNotFit()
    {
        Assert.Throws<ArgumentException>(() => SpatialLayout.Of(new TensorShape(1, 2, 3, 4, 5), 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpatialLayout.Of(new TensorShape(5), 4));
    }

    [Fact]
    public void RankProblem_NamesTheSpatialDimsThatWouldFit()
    {
        var problem = SpatialLayout.RankProblem("input", new TensorShape(2, 3, 4, 5, 6), 1, "pooling");

        Assert.Equal("input", problem!.Value.Parameter);
        Assert.Equal("input must have rank 1 (L), 2 (C, L) or 3 (N, C, L) for spatialDims 1; got rank 5 (2×3×4×5×6): for a 3-D batched pooling send spatialDims 3", problem.Value.Message);
        Assert.Null(SpatialLayout.RankProblem("input", new TensorShape(2, 3, 4), 1, "pooling"));
    }

    [Fact]
    public void ListProblem_SaysWhichSpatialDimsTheLengthFits()
    {
        Assert.Null(SpatialLayout.ListProblem("kernelSize", 3, 3));
        Assert.Equal("kernelSize has 1 entries but spatialDims 2 needs one integer or 2 (H, W): for a 1-D call send spatialDims 1", SpatialLayout.ListProblem("kernelSize", 1, 2)!.Value.Message);
        Assert.Equal("kernelSize has 4 entries but spatialDims 3 needs one integer or 3 (D, H, W)", SpatialLayout.ListProblem("kernelSize", 4, 3)!.Value.Message);
    }
}
