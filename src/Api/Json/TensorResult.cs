using System.IO.Pipelines;
using System.Numerics;
using System.Text.Json;
using ConvService.Domain.Tensors;

namespace ConvService.Api.Json;

/// <summary>A computed tensor on its way out: the Domain tensor (float or double) and the wire form to write it in.</summary>
public sealed class TensorResult : IDisposable
{
    private readonly Tensor<double>? _double;
    private readonly Tensor<float>? _single;

    private TensorResult(Tensor<double>? @double, Tensor<float>? single, WireForm form) =>
        (_double, _single, Form) = (@double, single, form);

    public WireForm Form { get; }

    public TensorShape Shape => _double?.Shape ?? _single!.Shape;

    /// <summary>True for a float32 result.</summary>
    public bool IsSingle => _single is not null;

    /// <summary>The number of elements.</summary>
    public int Length => _double?.Length ?? _single!.Length;

    /// <summary>
    /// The values as doubles (float32 values as the doubles whose shortest digits they print as, so that 0.1f reads
    /// 0.1), for /check to grade an answer against.
    /// </summary>
    internal double[] Values()
    {
        if (_double is not null)
            return _double.Span.ToArray();
        var values = new double[_single!.Length];
        for (var i = 0; i < values.Length; i++)
            values[i] = Learn.LearnText.Widen(_single.Span[i]);
        return values;
    }

    /// <summary>Takes ownership of <paramref name="tensor"/>: it is disposed with the result.</summary>
    public static TensorResult From<T>(Tensor<T> tensor, WireForm form) where T : unmanaged, IFloatingPointIeee754<T> =>
        tensor switch
        {
            Tensor<double> d => new TensorResult(d, null, form),
            Tensor<float> f => new TensorResult(null, f, form),
            _ => throw new NotSupportedException($"tensors of {typeof(T).Name} are not written"),
        };

    /// <summary>The float64 values, or empty for a float32 result.</summary>
    internal ReadOnlyMemory<double> Doubles => _double?.Memory ?? default;

    /// <summary>The float32 values, or empty for a float64 result.</summary>
    internal ReadOnlyMemory<float> Singles => _single?.Memory ?? default;

    /// <summary>Streams the tensor as JSON in its wire form to <paramref name="pipe"/>, flushing as it goes.</summary>
    internal ValueTask WriteAsync(Utf8JsonWriter writer, PipeWriter pipe, CancellationToken cancellationToken) =>
        _double is not null
            ? TensorJsonWriter.WriteAsync<double>(writer, pipe, _double.Shape, _double.Memory, Form, cancellationToken)
            : TensorJsonWriter.WriteAsync<float>(writer, pipe, _single!.Shape, _single.Memory, Form, cancellationToken);

    /// <summary>Streams the values as one flat JSON array.</summary>
    internal ValueTask WriteRunAsync(Utf8JsonWriter writer, PipeWriter pipe, CancellationToken cancellationToken) =>
        _double is not null
            ? TensorJsonWriter.WriteRunAsync<double>(writer, pipe, _double.Memory, cancellationToken)
            : TensorJsonWriter.WriteRunAsync<float>(writer, pipe, _single!.Memory, cancellationToken);

    public void Dispose()
    {
        _double?.Dispose();
        _single?.Dispose();
    }
}
