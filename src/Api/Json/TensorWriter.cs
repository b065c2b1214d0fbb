using System.Numerics;
using System.Text.Json;
using ConvService.Domain.Tensors;

namespace ConvService.Api.Json;

/// <summary>
/// Writes a tensor in a wire form with <see cref="Utf8JsonWriter"/>: shortest round-trip numbers in the tensor's own
/// precision (a float32 result is written as float32 digits), non-finite values as "NaN", "Infinity", "-Infinity".
/// </summary>
public static class TensorWriter
{
    public static void Write<T>(Utf8JsonWriter writer, TensorShape shape, ReadOnlySpan<T> data, WireForm form)
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
            WriteRun(writer, data);
            writer.WriteEndObject();
            return;
        }
        WriteNested(writer, shape.Dims.AsSpan(), data);
    }

    private static void WriteNested<T>(Utf8JsonWriter writer, ReadOnlySpan<int> dims, ReadOnlySpan<T> data)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (dims.Length <= 1)
        {
            WriteRun(writer, data);
            return;
        }
        writer.WriteStartArray();
        var stride = dims.Length == 0 ? 0 : data.Length / Math.Max(dims[0], 1);
        for (var i = 0; i < dims[0]; i++)
            WriteNested(writer, dims[1..], data.Slice(i * stride, stride));
        writer.WriteEndArray();
    }

    private static void WriteRun<T>(Utf8JsonWriter writer, ReadOnlySpan<T> data)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        writer.WriteStartArray();
        WriteValues(writer, data);
        writer.WriteEndArray();
    }

    /// <summary>The values as consecutive array entries (the caller opens and closes the array).</summary>
    public static void WriteValues<T>(Utf8JsonWriter writer, ReadOnlySpan<T> data)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var value in data)
            WriteValue(writer, value);
    }

    private static void WriteValue<T>(Utf8JsonWriter writer, T value)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!T.IsFinite(value))
        {
            writer.WriteStringValue(T.IsNaN(value) ? "NaN"u8 : T.IsPositive(value) ? "Infinity"u8 : "-Infinity"u8);
            return;
        }
        if (typeof(T) == typeof(float))
            writer.WriteNumberValue((float)(object)value);
        else
            writer.WriteNumberValue(double.CreateTruncating(value));
    }
}
