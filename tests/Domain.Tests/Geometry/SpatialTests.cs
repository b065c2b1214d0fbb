using ConvService.Domain.Geometry;

namespace ConvService.Domain.Tests.Geometry;

public class SpatialTests
{
    /// <summary>The 0s and 1s every default stride, dilation and padding takes come from a table made once; others are made per call.</summary>
    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 1)]
    [InlineData(0, 3)]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    [InlineData(1, 3)]
    [InlineData(2, 2)]
    [InlineData(-1, 3)]
    [InlineData(1, 4)]
    [InlineData(7, 5)]
    public void Repeat_HoldsTheValueOnEveryAxis(int value, int rank)
    {
        var spatial = Spatial.Repeat(value, rank);

        Assert.Equal(rank, spatial.Rank);
        Assert.All(spatial.Values, v => Assert.Equal(value, v));
        Assert.Equal(new Spatial(Enumerable.Repeat(value, rank).ToArray()), spatial);
    }
}
