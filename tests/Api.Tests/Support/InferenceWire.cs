using System.Buffers;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace ConvService.Api.Tests.Support;

/// <summary>A tensor of an inference request or response: name, datatype, shape and values (INT64 as exact doubles).</summary>
public sealed record InferenceTensor(string Name, string Datatype, long[] Shape, double[] Data)
{
    public WireTensor AsWire() => new([.. Shape.Select(d => (int)d)], Data, Flat: true);
}

/// <summary>
/// Builds inference protocol requests byte for byte as tritonclient's HTTP client does (compact JSON header
/// {"inputs": [{"name", "shape", "datatype", "parameters": {"binary_data_size"}}], "parameters": {...}}, the inputs'
/// little-endian bytes after it, Inference-Header-Content-Length, no Content-Type), or as JSON with "data"; and reads
/// responses the way tritonclient's InferResult does.
/// </summary>
public static class InferenceWire
{
    public const string HeaderLength = "Inference-Header-Content-Length";

    /// <summary>tritonclient's default: every input binary, no outputs named, so binary_data_output is true (it goes first).</summary>
    public static ByteArrayContent Binary(IReadOnlyList<InferenceTensor> inputs, IReadOnlyList<KeyValuePair<string, object>>? parameters = null)
    {
        var header = Header(inputs, binary: true, [new("binary_data_output", true), .. parameters ?? []], outputs: null);
        var body = new ArrayBufferWriter<byte>();
        body.Write(header);
        foreach (var input in inputs)
            body.Write(Bytes(input));
        var content = new ByteArrayContent(body.WrittenSpan.ToArray());
        content.Headers.Add(HeaderLength, header.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return content;
    }

    /// <summary>A JSON request: every input's values as flat "data"; outputs in JSON unless asked otherwise.</summary>
    public static ByteArrayContent Json(IReadOnlyList<InferenceTensor> inputs, IReadOnlyList<KeyValuePair<string, object>>? parameters = null, string? outputs = null)
    {
        var content = new ByteArrayContent(Header(inputs, binary: false, parameters ?? [], outputs));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    public static byte[] Header(IReadOnlyList<InferenceTensor> inputs, bool binary, IReadOnlyList<KeyValuePair<string, object>> parameters, string? outputs)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("inputs");
            foreach (var input in inputs)
            {
                writer.WriteStartObject();
                writer.WriteString("name", input.Name);
                writer.WriteStartArray("shape");
                foreach (var d in input.Shape)
                    writer.WriteNumberValue(d);
                writer.WriteEndArray();
                writer.WriteString("datatype", input.Datatype);
                if (binary)
                {
                    writer.WriteStartObject("parameters");
                    writer.WriteNumber("binary_data_size", Bytes(input).Length);
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WriteStartArray("data");
                    foreach (var v in input.Data)
                    {
                        if (double.IsFinite(v))
                            writer.WriteNumberValue(v);
                        else
                            writer.WriteStringValue(double.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
                    }
                    writer.WriteEndArray();
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            if (outputs is not null)
            {
                writer.WritePropertyName("outputs");
                writer.WriteRawValue(outputs);
            }
            if (parameters.Count > 0)
            {
                writer.WriteStartObject("parameters");
                foreach (var (name, value) in parameters)
                {
                    writer.WritePropertyName(name);
                    JsonSerializer.Serialize(writer, value);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The tensor's values as raw little-endian bytes of its datatype (numpy's tobytes()).</summary>
    public static byte[] Bytes(InferenceTensor tensor) => tensor.Datatype switch
    {
        "FP32" => MemoryMarshal.AsBytes(tensor.Data.Select(v => (float)v).ToArray().AsSpan()).ToArray(),
        "FP64" => MemoryMarshal.AsBytes(tensor.Data.AsSpan()).ToArray(),
        _ => throw new ArgumentException(tensor.Datatype),
    };

    /// <summary>The response's JSON header and outputs, binary ones cut from after the header as tritonclient's InferResult does.</summary>
    public static async Task<(JsonElement Header, Dictionary<string, InferenceTensor> Outputs)> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        var length = response.Headers.TryGetValues(HeaderLength, out var values) || response.Content.Headers.TryGetValues(HeaderLength, out values)
            ? int.Parse(values.Single(), System.Globalization.CultureInfo.InvariantCulture) : body.Length;
        var header = JsonDocument.Parse(body.AsMemory(0, length)).RootElement.Clone();
        var outputs = new Dictionary<string, InferenceTensor>();
        var offset = length;
        foreach (var output in header.GetProperty("outputs").EnumerateArray())
        {
            var (name, datatype) = (output.GetProperty("name").GetString()!, output.GetProperty("datatype").GetString()!);
            var shape = output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            double[] data;
            if (output.TryGetProperty("parameters", out var p) && p.TryGetProperty("binary_data_size", out var size))
            {
                var bytes = body.AsSpan(offset, size.GetInt32());
                offset += bytes.Length;
                data = datatype switch
                {
                    "FP32" => [.. MemoryMarshal.Cast<byte, float>(bytes).ToArray().Select(v => (double)v)],
                    "FP64" => MemoryMarshal.Cast<byte, double>(bytes).ToArray(),
                    "INT64" => [.. MemoryMarshal.Cast<byte, long>(bytes).ToArray().Select(v => (double)v)],
                    _ => throw new InvalidDataException(datatype),
                };
            }
            else
                data = [.. output.GetProperty("data").EnumerateArray().Select(Number)];
            outputs[name] = new InferenceTensor(name, datatype, shape, data);
        }
        Assert.True(offset == body.Length, $"the response has {body.Length - offset} bytes past its outputs");
        return (header, outputs);
    }

    private static double Number(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString() switch { "NaN" => double.NaN, "Infinity" => double.PositiveInfinity, "-Infinity" => double.NegativeInfinity, var s => throw new FormatException(s) }
        : e.GetDouble();

    public static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
