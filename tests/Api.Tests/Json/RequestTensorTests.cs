using ConvService.Api.Wire;
using ConvService.Domain.Tensors;

namespace ConvService.Api.Tests.Json;

public class RequestTensorTests
{
    [Fact]
    public void ToFloatRoundsEveryValueOnceInPlace()
    {
        double[] values = [0.1, -2.5, 1e-40, 3.4028235677973366e38, double.NaN, double.NegativeInfinity, 1.0000000596046448];
        using var json = RequestTensor.From(new TensorShape(values.Length), values);

        using var narrowed = json.ToTensor<float>();
        using var again = json.ToTensor<float>();

        Assert.Equal(values.Select(v => (float)v), narrowed.Span.ToArray());
        Assert.Equal(narrowed.Span.ToArray(), again.Span.ToArray());
        Assert.Throws<InvalidOperationException>(() => json.Data.Length);
        Assert.Throws<InvalidOperationException>(() => json.ToTensor<double>());
    }

    [Fact]
    public void ToDoubleViewsTheSameValues()
    {
        double[] values = [1, 2, 3, 4, 5, 6];
        using var json = RequestTensor.From(new TensorShape(2, 3), values);

        using var tensor = json.ToTensor<double>();

        Assert.Equal(new TensorShape(2, 3), tensor.Shape);
        Assert.Equal(values, tensor.Span.ToArray());
    }
}
