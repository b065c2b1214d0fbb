using System.IO.Pipelines;
using System.Numerics;
using System.Text.Json;
using ConvService.Domain.Tensors;

namespace ConvService.Api.Json;

/// <summary>
/// Writes a tensor as JSON to a response pipe row by row, flushing every <see cref="FlushThreshold"/> bytes, so a
/// large result never sits whole in memory as text: shortest round-trip numbers in the tensor's own precision (a
/// float32 result is written as float32 digits), non-finite values as "NaN", "Infinity", "-Infinity".
/// </summary>
public static class TensorJsonWriter
{
    public const int FlushThreshold = 32 * 1024;

    /// <summary>Values per chunk of a flat run.</summary>
    private const int FlatChunk = 4096;

    /// <summary>Writes the tensor in the wire form <paramref name="form"/>: nested arrays, or {"shape", "data"}.</summary>
    public static async ValueTask WriteAsync<T>(Utf8JsonWriter writer, PipeWriter pipe, TensorShape shape, ReadOnlyMemory<T> data, WireForm form, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (form == WireForm.Flat)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("shape"u8);
            foreach (var dim in shape.Dims)
                writer.WriteNumberValue(dim);
            writer.WriteEndArray();
            writer.WritePropertyName("data"u8);
            await WriteRunAsync(writer, pipe, data, cancellationToken);
            writer.WriteEndObject();
        }
        else if (data.Length == 0 || shape.Rank == 0)
            WriteEmpty(writer, shape.Dims.AsSpan(), data.Span);
        else if (shape.Rank == 1)
            await WriteRunAsync(writer, pipe, data, cancellationToken);
        else
            await WriteNestedAsync(writer, pipe, shape, data, cancellationToken);
    }

    /// <summary>The values as one flat JSON array (the inference protocol's "data", and a flat tensor's).</summary>
    public static async ValueTask WriteRunAsync<T>(Utf8JsonWriter writer, PipeWriter pipe, ReadOnlyMemory<T> data, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        writer.WriteStartArray();
        long gathered = 0;
        for (var start = 0; start < data.Length; start += FlatChunk)
        {
            gathered += NumberRun.Write(writer, pipe, data.Span.Slice(start, Math.Min(FlatChunk, data.Length - start)), continues: start > 0);
            gathered = await FlushIfFullAsync(writer, pipe, gathered, cancellationToken);
        }
        writer.WriteEndArray();
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

    // A tensor with a zero dimension somewhere (or a scalar): small enough to write in one go.
    private static void WriteEmpty<T>(Utf8JsonWriter writer, ReadOnlySpan<int> dims, ReadOnlySpan<T> data)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        writer.WriteStartArray();
        if (dims.Length <= 1)
        {
            foreach (var value in data)
                WriteValue(writer, value);
        }
        else
        {
            for (var i = 0; i < dims[0]; i++)
                WriteEmpty(writer, dims[1..], data);
        }
        writer.WriteEndArray();
    }

    // Through NumberRun's text, so a scalar reads exactly as the same value would inside a run.
    private static void WriteValue<T>(Utf8JsonWriter writer, T value) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<byte> text = stackalloc byte[RoundTripText.MaxLength];
        writer.WriteRawValue(text[..NumberRun.Format(value, text)], skipInputValidation: true);
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
