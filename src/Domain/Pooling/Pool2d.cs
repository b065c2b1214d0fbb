using System.Numerics;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Pooling;

/// <summary>One entry point for the six pooling operators: resolves the geometry, allocates, and dispatches on the mode.</summary>
public static class Pool2d
{
    /// <summary>
    /// Pools <paramref name="input"/> ((H, W), (C, H, W) or (N, C, H, W)) into an output of the same rank. Max-type
    /// modes fill <see cref="PoolResult{T}.Indices"/> when <see cref="PoolOptions.ReturnIndices"/>; fractional-max uses
    /// <paramref name="samples"/>, or draws them from <see cref="PoolOptions.Seed"/>, and returns the samples it used.
    /// </summary>
    /// <exception cref="ArgumentException">The arguments break a rule of <see cref="PoolRules"/>.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; polled per plane; a large call runs its planes on all cores.</exception>
    public static PoolResult<T> Forward<T>(PoolMode mode, Tensor<T> input, PoolOptions options, Tensor<T>? samples = null, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var geometry = PoolGeometry.Create(mode, input.Shape, options, samples?.Shape);
        var output = Tensor<T>.Uninitialized(geometry.OutputShape);
        var used = mode == PoolMode.FractionalMax ? samples is null ? Draw<T>(geometry, options.Seed) : Copy(samples) : null;
        try
        {
            var indices = mode.IsMaxType() && options.ReturnIndices == true ? new int[output.Length] : null;
            var (inLength, outLength) = (geometry.InputPlaneLength, geometry.OutputPlaneLength);
            PlaneChunks.Run(geometry, (part, first) => PoolDispatch.Forward(
                mode,
                part,
                input.Span.Slice(first * inLength, part.Planes * inLength),
                used is null ? default : used.Span.Slice(2 * first, 2 * part.Planes),
                output.Span.Slice(first * outLength, part.Planes * outLength),
                indices is null ? default : indices.AsSpan(first * outLength, part.Planes * outLength),
                cancellationToken), cancellationToken);
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
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var geometry = PoolGeometry.Create(mode, input.Shape, options, samples?.Shape);
        if (gradOutput is not null && PoolRules.CheckGradOutput(geometry.OutputShape, gradOutput.Shape) is { } problem)
            problem.Throw();
        using var ones = gradOutput is null ? Tensor<T>.Filled(geometry.OutputShape, T.One) : null;
        using var drawn = mode == PoolMode.FractionalMax && samples is null ? Draw<T>(geometry, options.Seed) : null;
        var gradient = (gradOutput ?? ones)!;
        var placed = samples ?? drawn;
        var gradInput = Tensor<T>.Uninitialized(input.Shape);
        try
        {
            var (inLength, outLength) = (geometry.InputPlaneLength, geometry.OutputPlaneLength);
            PlaneChunks.Run(geometry, (part, first) => PoolDispatch.Backward(
                mode,
                part,
                input.Span.Slice(first * inLength, part.Planes * inLength),
                placed is null ? default : placed.Span.Slice(2 * first, 2 * part.Planes),
                gradient.Span.Slice(first * outLength, part.Planes * outLength),
                gradInput.Span.Slice(first * inLength, part.Planes * inLength),
                cancellationToken), cancellationToken);
            return gradInput;
        }
        catch
        {
            gradInput.Dispose();
            throw;
        }
    }

    // The result outlives the caller's samples (a response is written after the request is released).
    private static Tensor<T> Copy<T>(Tensor<T> samples) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var copy = Tensor<T>.Uninitialized(samples.Shape);
        samples.Span.CopyTo(copy.Span);
        return copy;
    }

    private static Tensor<T> Draw<T>(PoolGeometry geometry, int? seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new double[2 * geometry.Planes];
        FractionalMaxPool2d.DrawSamples(seed, values);
        var samples = Tensor<T>.Uninitialized(geometry.SamplesShape);
        for (var i = 0; i < values.Length; i++)
            samples.Span[i] = T.CreateTruncating(values[i]);
        return samples;
    }
}

/// <summary>A pooling call's results; the tensors are the caller's to dispose.</summary>
/// <param name="Output">The pooled tensor, of the input's rank.</param>
/// <param name="Indices">When asked (max-type modes): each output's flat position h·W + w in its input plane, row-major like Output.</param>
/// <param name="Samples">fractional-max: the samples that placed the windows, (N, C, 2), (C, 2) or (1, 2).</param>
public sealed record PoolResult<T>(Tensor<T> Output, int[]? Indices, Tensor<T>? Samples) where T : unmanaged, IFloatingPointIeee754<T>;
