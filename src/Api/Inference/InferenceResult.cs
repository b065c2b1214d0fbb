using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using System.Text.Json;
using ConvService.Api.Json;

namespace ConvService.Api.Inference;

/// <summary>
/// The answer to an inference request: <c>{"model_name", "model_version", "id", "outputs": [...]}</c>, each output with
/// its name, datatype and shape, and either <c>data</c> (JSON, flat row-major) or <c>binary_data_size</c>. When any
/// output is binary the JSON header goes first, its length in <c>Inference-Header-Content-Length</c>, and the binary
/// outputs follow in order as raw little-endian bytes, copied from the result buffers straight to the response pipe.
/// </summary>
public sealed class InferenceResult : IResult
{
    /// <summary>
    /// Bytes copied into the pipe between sends: each send waits for the socket, so fewer sends mean fewer wake-ups
    /// (a 6 MB output is 6 sends, not 100); the pipe's pooled blocks hold at most this much at a time.
    /// </summary>
    private const int Chunk = 1024 * 1024;

    private readonly InferenceCall _call;
    private readonly List<Output> _outputs;

    private InferenceResult(InferenceCall call, List<Output> outputs) => (_call, _outputs) = (call, outputs);

    private sealed record Output(string Name, string Datatype, TensorResult Tensor, bool Binary)
    {
        public int ElementSize => Datatype is "FP32" ? sizeof(float) : sizeof(double);

        public long Bytes => (long)Tensor.Length * ElementSize;
    }

    /// <summary>The outputs <paramref name="call"/> asked for (all when it named none), from the JSON route's response.</summary>
    public static InferenceResult From(InferenceCall call, ITensorResponse response)
    {
        var model = call.Model;
        var produced = new Dictionary<string, Output>(StringComparer.Ordinal);
        foreach (var (field, tensor) in response.Tensors)
        {
            var spec = model.Output(field);
            produced[spec.Name] = new Output(spec.Name, spec.Datatype ?? (tensor.IsSingle ? "FP32" : "FP64"), tensor, call.BinaryDataOutput);
        }
        if (call.Outputs is null)
        {
            var all = new List<Output>(produced.Count);
            foreach (var spec in model.Outputs)
            {
                if (produced.TryGetValue(spec.Name, out var output))
                    all.Add(output);
            }
            return new InferenceResult(call, all);
        }
        var outputs = new List<Output>();
        foreach (var asked in call.Outputs)
        {
            if (model.Outputs.All(o => o.Name != asked.Name))
                throw InferenceException.BadRequest($"{model.Name} has no output \"{asked.Name}\"; its outputs are {string.Join(", ", model.Outputs.Select(o => o.Name))}");
            if (!produced.TryGetValue(asked.Name, out var output))
                throw InferenceException.BadRequest($"output \"{asked.Name}\" was not produced: {Why(asked.Name)}");
            outputs.Add(output with { Binary = asked.BinaryData ?? call.BinaryDataOutput });
        }
        return new InferenceResult(call, outputs);
    }

    private static string Why(string output) => output switch
    {
        "grad_bias" => "send a bias to get its gradient",
        "indices" => "set the parameter return_indices to true",
        _ => "this request does not compute it",
    };

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var cancellationToken = httpContext.RequestAborted;
        var pipe = response.BodyWriter;
        response.StatusCode = StatusCodes.Status200OK;
        if (_outputs.Any(o => o.Binary))
        {
            // The header's length goes out before the header: it is written aside first (small, unless some outputs are JSON).
            using var header = new MemoryStream(256);
            var aside = PipeWriter.Create(header, new StreamPipeWriterOptions(leaveOpen: true));
            await WriteHeaderAsync(aside, cancellationToken);
            await aside.CompleteAsync();
            response.ContentType = "application/octet-stream";
            response.Headers[InferenceBody.HeaderLengthHeader] = header.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.ContentLength = header.Length + _outputs.Where(o => o.Binary).Sum(o => o.Bytes);
            pipe.Write(header.GetBuffer().AsSpan(0, (int)header.Length));
            foreach (var output in _outputs.Where(o => o.Binary))
                await WriteBinaryAsync(pipe, output, cancellationToken);
            // The last part of a binary answer is sent here, not left to the response's end: ending the response, Kestrel
            // left the last 64 KiB block of a longer tail unsent (the 6.4 MB S2 answer stopped 65,692 bytes short), and
            // the client waited on it for good. A Content-Length answer has no ending to send after it, so this costs no write.
            await pipe.FlushAsync(cancellationToken);
        }
        else
        {
            response.ContentType = "application/json";
            await WriteHeaderAsync(pipe, cancellationToken);
        }
        // A JSON answer's rest (under TensorJsonWriter's 32 KiB) goes out with the response's end, in one write (see TensorOk).
    }

    // The JSON part; JSON outputs stream their data through the pipe as they are written.
    private async ValueTask WriteHeaderAsync(PipeWriter pipe, CancellationToken cancellationToken)
    {
        await using var writer = new Utf8JsonWriter(pipe);
        writer.WriteStartObject();
        writer.WriteString("model_name"u8, _call.Model.Name);
        writer.WriteString("model_version"u8, InferenceModel.Version);
        if (_call.Id is not null)
            writer.WriteString("id"u8, _call.Id);
        writer.WriteStartArray("outputs"u8);
        foreach (var o in _outputs)
        {
            writer.WriteStartObject();
            writer.WriteString("name"u8, o.Name);
            writer.WriteString("datatype"u8, o.Datatype);
            writer.WriteStartArray("shape"u8);
            foreach (var dim in o.Tensor.Shape.Dims)
                writer.WriteNumberValue(dim);
            writer.WriteEndArray();
            if (o.Binary)
            {
                writer.WriteStartObject("parameters"u8);
                writer.WriteNumber("binary_data_size"u8, o.Bytes);
                writer.WriteEndObject();
            }
            else
            {
                writer.WritePropertyName("data"u8);
                await o.Tensor.WriteRunAsync(writer, pipe, cancellationToken);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
    }

    // Into the pipe's own pooled blocks as they come (a larger size hint would make the response pipe allocate), sent every Chunk bytes.
    private static async ValueTask WriteBinaryAsync(PipeWriter pipe, Output output, CancellationToken cancellationToken)
    {
        var (total, size) = (output.Bytes, output.ElementSize);
        long written = 0, unsent = 0;
        while (written < total)
        {
            var span = pipe.GetSpan(size);
            var length = (int)Math.Min(span.Length - span.Length % size, total - written);
            Copy(output, (int)written, span[..length]);
            pipe.Advance(length);
            written += length;
            if ((unsent += length) >= Chunk)
            {
                await pipe.FlushAsync(cancellationToken);
                unsent = 0;
            }
        }
    }

    // One copy, result buffer → response pipe; indices (held as exact doubles) widen to INT64 on the way.
    private static void Copy(Output output, int start, Span<byte> destination)
    {
        var tensor = output.Tensor;
        if (output.Datatype == "INT64")
        {
            var values = tensor.Doubles.Span.Slice(start / sizeof(long), destination.Length / sizeof(long));
            var longs = MemoryMarshal.Cast<byte, long>(destination);
            for (var i = 0; i < values.Length; i++)
                longs[i] = (long)values[i];
        }
        else if (tensor.IsSingle)
            MemoryMarshal.AsBytes(tensor.Singles.Span).Slice(start, destination.Length).CopyTo(destination);
        else
            MemoryMarshal.AsBytes(tensor.Doubles.Span).Slice(start, destination.Length).CopyTo(destination);
        if (!BitConverter.IsLittleEndian)
            ToLittleEndian(destination, output.ElementSize == sizeof(float) && output.Datatype != "INT64");
    }

    private static void ToLittleEndian(Span<byte> bytes, bool fourByte)
    {
        if (fourByte)
            System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, int>(bytes), MemoryMarshal.Cast<byte, int>(bytes));
        else
            System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, long>(bytes), MemoryMarshal.Cast<byte, long>(bytes));
    }
}
