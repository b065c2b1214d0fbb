using System.Numerics;
using ConvService.Domain.Pooling.Windows;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Pooling;

/// <summary>
/// Every pooling operator in 1-D, 2-D and 3-D, forward and backward: resolves the geometry (or takes a resolved one),
/// allocates, and runs the windowed core (<see cref="WindowedPool"/>) over the planes, on all cores for a large call.
/// </summary>
public static class Pool
{
    /// <summary>
    /// Pools <paramref name="input"/> (a lone line/plane/volume of d axes, (C, …) or (N, C, …), d =
    /// <see cref="PoolOptions.SpatialDims"/>) into an output of the same rank. Max-type modes fill
    /// <see cref="PoolResult{T}.Indices"/> when <see cref="PoolOptions.ReturnIndices"/>; fractional-max uses
    /// <paramref name="samples"/>, or draws them from <see cref="PoolOptions.Seed"/>, and returns the samples it used.
    /// </summary>
    /// <exception cref="ArgumentException">The arguments break a rule of <see cref="PoolRules"/>.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; polled per plane; a large call runs its planes on all cores.</exception>
    public static PoolResult<T> Forward<T>(PoolMode mode, Tensor<T> input, PoolOptions options, Tensor<T>? samples = null, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Forward(PoolGeometry.Create(mode, input.Shape, options, samples?.Shape), input, options.ReturnIndices == true, options.Seed, samples, cancellationToken);

    /// <summary>
    /// <see cref="Forward{T}(PoolMode, Tensor{T}, PoolOptions, Tensor{T}?, CancellationToken)"/> for a resolved
    /// <paramref name="geometry"/>: indices when <paramref name="returnIndices"/> (max-type modes), fractional-max samples
    /// from <paramref name="samples"/> or drawn from <paramref name="seed"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A tensor does not fit <paramref name="geometry"/>, or a sample lies outside [0, 1).</exception>
    /// <exception cref="OperationCanceledException">Cancelled; polled per plane; a large call runs its planes on all cores.</exception>
    public static PoolResult<T> Forward<T>(PoolGeometry geometry, Tensor<T> input, bool returnIndices, int? seed, Tensor<T>? samples = null, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckTensors(geometry, input, samples);
        var mode = geometry.Mode;
        var output = Tensor<T>.Uninitialized(geometry.OutputShape);
        var used = mode == PoolMode.FractionalMax ? samples is null ? Draw<T>(geometry, seed) : Copy(samples) : null;
        try
        {
            var indices = mode.IsMaxType() && returnIndices ? new int[output.Length] : null;
            PlaneChunks.Run(geometry, chunk => WindowedPool.Forward(
                chunk.Part, chunk.OfInput(input), chunk.OfSamples(used), chunk.OfOutput(output), chunk.OfIndices(indices), cancellationToken), cancellationToken);
            return new PoolResult<T>(output, indices, used);
        }
        catch
        {
            output.Dispose();
            used?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The gradient of the sum of <c>output · gradOutput</c> with respect to the input (<paramref name="gradOutput"/>
    /// all ones when null), of the input's shape.
    /// </summary>
    /// <exception cref="ArgumentException">The arguments break a rule of <see cref="PoolRules"/>, or gradOutput is not of the output's shape.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; polled per plane; a large call runs its planes on all cores.</exception>
    public static Tensor<T> Backward<T>(PoolMode mode, Tensor<T> input, Tensor<T>? gradOutput, PoolOptions options, Tensor<T>? samples = null, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Backward(PoolGeometry.Create(mode, input.Shape, options, samples?.Shape), input, gradOutput, options.Seed, samples, cancellationToken);

    /// <summary>
    /// <see cref="Backward{T}(PoolMode, Tensor{T}, Tensor{T}?, PoolOptions, Tensor{T}?, CancellationToken)"/> for a
    /// resolved <paramref name="geometry"/>; fractional-max windows placed by <paramref name="samples"/> or by the
    /// samples <paramref name="seed"/> draws, as the forward call did.
    /// </summary>
    /// <exception cref="ArgumentException">A tensor does not fit <paramref name="geometry"/>, or a sample lies outside [0, 1).</exception>
    /// <exception cref="OperationCanceledException">Cancelled; polled per plane; a large call runs its planes on all cores.</exception>
    public static Tensor<T> Backward<T>(PoolGeometry geometry, Tensor<T> input, Tensor<T>? gradOutput, int? seed, Tensor<T>? samples = null, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckTensors(geometry, input, samples);
        if (gradOutput is not null && PoolRules.CheckGradOutput(geometry.OutputShape, gradOutput.Shape) is { } problem)
            problem.Throw();
        using var ones = gradOutput is null ? Tensor<T>.Filled(geometry.OutputShape, T.One) : null;
        using var drawn = geometry.Mode == PoolMode.FractionalMax && samples is null ? Draw<T>(geometry, seed) : null;
        var gradient = (gradOutput ?? ones)!;
        var placed = samples ?? drawn;
        var gradInput = Tensor<T>.Uninitialized(input.Shape);
        try
        {
            PlaneChunks.Run(geometry, chunk => WindowedPool.Backward(
                chunk.Part, chunk.OfInput(input), chunk.OfSamples(placed), chunk.OfOutput(gradient), chunk.OfInput(gradInput), cancellationToken), cancellationToken);
            return gradInput;
        }
        catch
        {
            gradInput.Dispose();
            throw;
        }
    }

    private static void CheckTensors<T>(PoolGeometry geometry, Tensor<T> input, Tensor<T>? samples) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!input.Shape.Equals(geometry.InputShape))
            throw new ArgumentException($"input has shape {input.Shape}; the geometry was resolved for {geometry.InputShape}", nameof(input));
        if (samples is not null && !samples.Shape.Equals(geometry.SamplesShape))
            throw new ArgumentException($"randomSamples must have shape {geometry.SamplesShape}; got {samples.Shape}", "randomSamples");
    }

    // The result outlives the caller's samples (a response is written after the request is released).
    private static Tensor<T> Copy<T>(Tensor<T> samples) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var copy = Tensor<T>.Uninitialized(samples.Shape);
        samples.Span.CopyTo(copy.Span);
        return copy;
    }

    /// <summary>The fractional-max samples of every plane, drawn from <paramref name="seed"/> (or at random) as a call without samples draws them.</summary>
    internal static Tensor<T> Draw<T>(PoolGeometry geometry, int? seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new double[geometry.SpatialDims * geometry.Planes];
        FractionalSamples.Draw(seed, values);
        var samples = Tensor<T>.Uninitialized(geometry.SamplesShape);
        for (var i = 0; i < values.Length; i++)
        {
            // A double just below 1 rounds to 1 in float; keep it inside [0, 1).
            var sample = T.CreateTruncating(values[i]);
            samples.Span[i] = sample < T.One ? sample : T.BitDecrement(T.One);
        }
        return samples;
    }
}

/// <summary>A pooling call's results; the tensors are the caller's to dispose.</summary>
/// <param name="Output">The pooled tensor, of the input's rank.</param>
/// <param name="Indices">When asked (max-type modes): each output's flat position in its input plane (L, H·W or D·H·W), row-major like Output.</param>
/// <param name="Samples">fractional-max: the samples that placed the windows, (N, C, d), (C, d) or (1, d).</param>
public sealed record PoolResult<T>(Tensor<T> Output, int[]? Indices, Tensor<T>? Samples) where T : unmanaged, IFloatingPointIeee754<T>;
