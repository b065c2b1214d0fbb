using System.Text.Json;
using System.Text.Json.Serialization;
using ConvService.Domain.Tensors;

namespace ConvService.Api.Json;

/// <summary>A computed tensor on its way out: the Domain tensor (float or double) and the wire form to write it in.</summary>
[JsonConverter(typeof(TensorResultConverter))]
public sealed class TensorResult : IDisposable
{
    private readonly Tensor<double>? _double;
    private readonly Tensor<float>? _single;

    private TensorResult(Tensor<double>? @double, Tensor<float>? single, WireForm form) =>
        (_double, _single, Form) = (@double, single, form);

    public WireForm Form { get; }

    public TensorShape Shape => _double?.Shape ?? _single!.Shape;

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
    public static TensorResult From<T>(Tensor<T> tensor, WireForm form) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        tensor switch
        {
            Tensor<double> d => new TensorResult(d, null, form),
            Tensor<float> f => new TensorResult(null, f, form),
            _ => throw new NotSupportedException($"tensors of {typeof(T).Name} are not written"),
        };

    internal void Write(Utf8JsonWriter writer)
    {
        if (_double is not null)
            TensorWriter.Write<double>(writer, _double.Shape, _double.Span, Form);
        else
            TensorWriter.Write<float>(writer, _single!.Shape, _single.Span, Form);
    }

    /// <summary>Streams the tensor to <paramref name="pipe"/>, flushing as it goes.</summary>
    internal ValueTask WriteAsync(Utf8JsonWriter writer, System.IO.Pipelines.PipeWriter pipe, CancellationToken cancellationToken) =>
        _double is not null
            ? StreamingTensorWriter.WriteAsync<double>(writer, pipe, _double.Shape, _double.Memory, Form, cancellationToken)
            : StreamingTensorWriter.WriteAsync<float>(writer, pipe, _single!.Shape, _single.Memory, Form, cancellationToken);

    public void Dispose()
    {
        _double?.Dispose();
        _single?.Dispose();
    }
}

/// <summary>Writes a <see cref="TensorResult"/>; results are never read.</summary>
public sealed class TensorResultConverter : JsonConverter<TensorResult>
{
    public override TensorResult Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("tensor results are written, not read");

    public override void Write(Utf8JsonWriter writer, TensorResult value, JsonSerializerOptions options) => value.Write(writer);
}
