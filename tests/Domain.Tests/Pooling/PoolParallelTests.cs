using ConvService.Domain.Geometry;
using ConvService.Domain.Pooling;
using ConvService.Domain.Tensors;
using ConvService.Domain.Tests.Support;

namespace ConvService.Domain.Tests.Pooling;

/// <summary>A call large enough to split its planes between cores gives what the operators give plane by plane.</summary>
public class PoolParallelTests
{
    private static readonly TensorShape Large = new(4, 8, 96, 90);

    public static TheoryData<PoolMode> Modes => [.. Enum.GetValues<PoolMode>()];

    [Theory]
    [MemberData(nameof(Modes))]
    public void ForwardAndBackward_OfALargeCall_MatchTheSerialOperators(PoolMode mode)
    {
        Assert.True(Large.ElementCount >= PlaneChunks.ParallelThreshold, "the shape must take the parallel path");
        using var input = Tensor<double>.Uninitialized(Large);
        var values = RowKernelCases.Plane<double>(new Random(5), input.Length, nans: false);
        for (var k = 0; k < values.Length; k++)
            input.Span[k] = double.IsFinite(values[k]) ? values[k] + 5 : 1.5;
        var options = OptionsFor(mode);
        var geometry = PoolGeometry.Create(mode, Large, options);
        var result = Pool.Forward(mode, input, options);
        using var gradInput = Pool.Backward(mode, input, result.Output, options, result.Samples);

        var (expected, indices) = (new double[result.Output.Length], new int[result.Output.Length]);
        WindowedPool.Forward<double>(geometry, input.Span, result.Samples is null ? default : result.Samples.Span, expected, mode.IsMaxType() ? indices : default, CancellationToken.None);
        var expectedGrad = new double[input.Length];
        WindowedPool.Backward<double>(geometry, input.Span, result.Samples is null ? default : result.Samples.Span, result.Output.Span, expectedGrad, CancellationToken.None);

        RowKernelCases.BitwiseEqual<double>(expected, result.Output.Span, $"{mode} output");
        RowKernelCases.BitwiseEqual<double>(expectedGrad, gradInput.Span, $"{mode} gradInput");
        if (mode.IsMaxType())
            Assert.Equal(indices, result.Indices!);
        result.Output.Dispose();
        result.Samples?.Dispose();
    }

    [Fact]
    public void Forward_OfALargeCall_ThrowsOperationCanceledWhenCancelled()
    {
        using var input = Tensor<float>.Zeros(Large);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => Pool.Forward(PoolMode.Max, input, OptionsFor(PoolMode.Max), cancellationToken: cancelled.Token));
    }

    private static PoolOptions OptionsFor(PoolMode mode) => mode switch
    {
        PoolMode.Max => new PoolOptions(KernelSize: new Spatial(3, 3), Stride: new Spatial(2, 2), Padding: new Spatial(1, 1), ReturnIndices: true),
        PoolMode.Avg => new PoolOptions(KernelSize: new Spatial(3, 3), Stride: new Spatial(2, 2), Padding: new Spatial(1, 1), CountIncludePad: false),
        PoolMode.Lp => new PoolOptions(KernelSize: new Spatial(3, 2), Stride: new Spatial(2, 2), NormType: 2),
        PoolMode.FractionalMax => new PoolOptions(KernelSize: new Spatial(3, 3), OutputSize: new PoolOutputSize(21, 22), Seed: 3, ReturnIndices: true),
        PoolMode.AdaptiveMax => new PoolOptions(OutputSize: new PoolOutputSize(32, 30), ReturnIndices: true),
        _ => new PoolOptions(OutputSize: new PoolOutputSize(13, 25)),
    };
}
