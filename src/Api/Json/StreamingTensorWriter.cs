using System.IO.Pipelines;
using System.Numerics;
using System.Text.Json;
using ConvService.Domain.Tensors;

namespace ConvService.Api.Json;

/// <summary>
/// Writes a tensor to a response pipe row by row, flushing every <see cref="FlushThreshold"/> bytes, so a large
/// result never sits whole in memory as JSON text. Numbers and non-finite values as <see cref="TensorWriter"/> writes them.
/// </summary>
public static class StreamingTensorWriter
{
    public const int FlushThreshold = 32 * 1024;

    /// <summary>Values per chunk of a flat tensor's data array.</summary>
    private const int FlatChunk = 4096;

    public static async ValueTask WriteAsync<T>(Utf8JsonWriter writer, PipeWriter pipe, TensorShape shape, ReadOnlyMemory<T> data, WireForm form, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (data.Length == 0 || shape.Rank == 0)
        {
            TensorWriter.Write(writer, shape, data.Span, form);
            return;
        }
        if (form == WireForm.Flat)
            await WriteFlatAsync(writer, pipe, shape, data, cancellationToken);
        else
            await WriteNestedAsync(writer, pipe, shape, data, cancellationToken);
    }

    /// <summary>Hands what the writer holds to the pipe and lets the pipe send it once enough has gathered.</summary>
    public static async ValueTask FlushIfFullAsync(Utf8JsonWriter writer, PipeWriter pipe, CancellationToken cancellationToken)
    {
        if (writer.BytesPending < FlushThreshold)
            return;
        writer.Flush();
        await pipe.FlushAsync(cancellationToken);
    }

    private static async ValueTask WriteFlatAsync<T>(Utf8JsonWriter writer, PipeWriter pipe, TensorShape shape, ReadOnlyMemory<T> data, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("shape"u8);
        foreach (var dim in shape.Dims)
            writer.WriteNumberValue(dim);
        writer.WriteEndArray();
        writer.WriteStartArray("data"u8);
        for (var start = 0; start < data.Length; start += FlatChunk)
        {
            TensorWriter.WriteValues(writer, data.Span.Slice(start, Math.Min(FlatChunk, data.Length - start)));
            await FlushIfFullAsync(writer, pipe, cancellationToken);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static async ValueTask WriteNestedAsync<T>(Utf8JsonWriter writer, PipeWriter pipe, TensorShape shape, ReadOnlyMemory<T> data, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dims = shape.Dims;
        var row = dims[^1];
        // spans[l] = how many rows an array at nesting level l holds: row r opens it when r % spans[l] == 0.
        var spans = new int[dims.Length - 1];
        var rows = 1;
        for (var level = dims.Length - 2; level >= 0; level--)
            spans[level] = rows *= dims[level];
        var rowCount = data.Length / row;
        for (var r = 0; r < rowCount; r++)
        {
            for (var level = 0; level < spans.Length; level++)
            {
                if (r % spans[level] == 0)
                    writer.WriteStartArray();
            }
            writer.WriteStartArray();
            TensorWriter.WriteValues(writer, data.Span.Slice(r * row, row));
            writer.WriteEndArray();
            for (var level = spans.Length - 1; level >= 0; level--)
            {
                if ((r + 1) % spans[level] == 0)
                    writer.WriteEndArray();
            }
            await FlushIfFullAsync(writer, pipe, cancellationToken);
        }
    }
}
