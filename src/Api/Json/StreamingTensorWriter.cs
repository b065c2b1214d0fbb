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

    /// <summary>
    /// Hands what the writer holds to the pipe, and sends the pipe's contents once <see cref="FlushThreshold"/> bytes
    /// have gathered since the last send. <paramref name="gathered"/> counts the bytes written around the writer
    /// (<see cref="NumberRun"/>), which the writer cannot see; the result is the new count.
    /// </summary>
    public static async ValueTask<long> FlushIfFullAsync(Utf8JsonWriter writer, PipeWriter pipe, long gathered, CancellationToken cancellationToken)
    {
        gathered += writer.BytesPending;
        writer.Flush();
        if (gathered < FlushThreshold)
            return gathered;
        await pipe.FlushAsync(cancellationToken);
        return 0;
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
        long gathered = 0;
        for (var start = 0; start < data.Length; start += FlatChunk)
        {
            gathered += NumberRun.Write(writer, pipe, data.Span.Slice(start, Math.Min(FlatChunk, data.Length - start)), continues: start > 0);
            gathered = await FlushIfFullAsync(writer, pipe, gathered, cancellationToken);
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
        long gathered = 0;
        for (var r = 0; r < rowCount; r++)
        {
            for (var level = 0; level < spans.Length; level++)
            {
                if (r % spans[level] == 0)
                    writer.WriteStartArray();
            }
            writer.WriteStartArray();
            gathered += NumberRun.Write(writer, pipe, data.Span.Slice(r * row, row), continues: false);
            writer.WriteEndArray();
            for (var level = spans.Length - 1; level >= 0; level--)
            {
                if ((r + 1) % spans[level] == 0)
                    writer.WriteEndArray();
            }
            gathered = await FlushIfFullAsync(writer, pipe, gathered, cancellationToken);
        }
    }
}
