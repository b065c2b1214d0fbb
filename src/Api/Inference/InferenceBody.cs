using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Pipelines;
using ConvService.Api.Json;
using ConvService.Api.Wire;


namespace ConvService.Api.Inference;

/// <summary>
/// Reads an inference request body as the binary tensor extension frames it: a JSON header of
/// <c>Inference-Header-Content-Length</c> bytes (the whole body when the header is absent), then each input whose
/// parameters give a <c>binary_data_size</c>, in the header's order, as raw little-endian row-major bytes. Any
/// Content-Type is accepted (tritonclient sends none); gzip and deflate bodies are decoded, their decoded size counted
/// against the body limit. Every size is checked against the header, the body and the limits before a tensor buffer is
/// rented; then each binary tensor is copied from the request pipe straight into its pooled buffer.
/// </summary>
internal static class InferenceBody
{
    public const string HeaderLengthHeader = "Inference-Header-Content-Length";

    /// <summary>The header, and every input's tensor by protocol name; <c>Single</c> when the inputs are FP32.</summary>
    public static async Task<(InferenceHeader Header, TensorArguments Tensors, bool Single)> ReadAsync(HttpContext context, InferenceModel model, Hosting.ServiceLimits limits)
    {
        var request = context.Request;
        var decoded = Decoder(request);
        var pipe = decoded is null ? request.BodyReader : PipeReader.Create(decoded, new StreamPipeReaderOptions(leaveOpen: true));
        var source = new BodySource(pipe, decoded is null ? null : limits.MaxRequestBodyBytes);
        var bodyLength = decoded is null ? request.ContentLength : null;
        var headerLength = HeaderLength(request, bodyLength, limits);
        var budget = new ElementBudget(limits.MaxElementsPerRequest);
        var json = await source.ReadHeaderAsync(headerLength ?? Math.Min(bodyLength ?? 4096, limits.MaxRequestBodyBytes), exact: headerLength is not null, context.RequestAborted);
        InferenceHeader header;
        try
        {
            header = InferenceHeaderReader.Read(json.Span, limits.MaxElementsPerTensor, budget);
        }
        finally
        {
            json.Dispose();
        }
        var tensors = new TensorArguments();
        try
        {
            var (binary, single) = InferenceInputs.Check(model, header, limits.MaxElementsPerTensor, budget);
            if (headerLength is null && binary.Count > 0)
                throw InferenceException.BadRequest($"{binary[0].Label} has binary_data_size {binary[0].Bytes} but the request has no {HeaderLengthHeader} header to say where its JSON header ends");
            CheckBodyLength(bodyLength, headerLength ?? bodyLength ?? 0, binary);
            if (headerLength + binary.Sum(b => b.Bytes) > limits.MaxRequestBodyBytes)
                throw new InferenceException(StatusCodes.Status413PayloadTooLarge, $"the {headerLength}-byte header and binary inputs ({string.Join(", ", binary.Select(b => $"{b.Label} {b.Bytes}"))}) need more than the service's limit of {limits.MaxRequestBodyBytes} bytes for a body");
            foreach (var (input, label, shape, _) in binary)
            {
                var tensor = RequestTensor.Uninitialized(shape, single);
                tensors.Add(input.Name!, tensor);
                await source.ReadTensorAsync(tensor, label, context.RequestAborted);
            }
            await source.ExpectEndAsync(context.RequestAborted);
            foreach (var input in header.Inputs.Where(i => i.Data is not null))
            {
                tensors.Add(input.Name!, input.Data!);
                input.Data = null;
            }
            return (header, tensors, single);
        }
        catch
        {
            tensors.Dispose();
            header.Dispose();
            throw;
        }
        finally
        {
            if (decoded is not null)
            {
                await pipe.CompleteAsync();
                await decoded.DisposeAsync();
            }
        }
    }

    /// <summary>The decoding stream for a gzip or deflate (zlib, as HTTP and tritonclient mean it) body; null for an unencoded one.</summary>
    private static Stream? Decoder(HttpRequest request) => request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant() switch
    {
        "" or "identity" => null,
        "gzip" or "x-gzip" => new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
        "deflate" => new ZLibStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
        var other => throw new InferenceException(StatusCodes.Status415UnsupportedMediaType, $"Content-Encoding \"{other}\" is not supported; send the body as is, gzip or deflate"),
    };

    private static long? HeaderLength(HttpRequest request, long? bodyLength, Hosting.ServiceLimits limits)
    {
        if (!request.Headers.TryGetValue(HeaderLengthHeader, out var values))
            return null;
        if (!long.TryParse(values.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length))
            throw InferenceException.BadRequest($"{HeaderLengthHeader} \"{values}\" is not a byte count");
        if (bodyLength is { } body && length > body)
            throw InferenceException.BadRequest($"{HeaderLengthHeader} {length} is past the end of the {body}-byte body");
        if (length > limits.MaxRequestBodyBytes)
            throw new InferenceException(StatusCodes.Status413PayloadTooLarge, $"{HeaderLengthHeader} {length} is more than the service's limit of {limits.MaxRequestBodyBytes} bytes for a body");
        return length;
    }

    // With the body's length announced, a body too short or too long for its header is refused before any tensor is rented.
    private static void CheckBodyLength(long? bodyLength, long headerLength, IReadOnlyList<InferenceInputs.Binary> binary)
    {
        if (bodyLength is not { } body)
            return;
        var needed = headerLength + binary.Sum(b => b.Bytes);
        if (needed == body)
            return;
        var parts = string.Join(", ", binary.Select(b => $"{b.Label} {b.Bytes}"));
        throw InferenceException.BadRequest(needed > body
            ? $"the body is truncated: it has {body} bytes but its {headerLength}-byte header and binary inputs ({parts}) need {needed}"
            : $"the body has {body - needed} bytes after its {headerLength}-byte header and binary inputs ({(parts.Length == 0 ? "none" : parts)})");
    }

    /// <summary>The body's bytes, counted against the limit when they are decoded (the server counts raw bodies itself).</summary>
    private sealed class BodySource(PipeReader pipe, long? decodedLimit)
    {
        private long _consumed;

        /// <summary>
        /// The JSON header: exactly <paramref name="length"/> bytes when <paramref name="exact"/>, else the whole body
        /// (<paramref name="length"/> then only sizes the first buffer; it never exceeds the body limit).
        /// </summary>
        public async Task<PooledBytes> ReadHeaderAsync(long length, bool exact, CancellationToken cancellationToken)
        {
            var bytes = new PooledBytes((int)length);
            try
            {
                while (!exact || bytes.Length < length)
                {
                    var read = await ReadAsync(cancellationToken);
                    var take = exact ? Math.Min(read.Buffer.Length, length - bytes.Length) : read.Buffer.Length;
                    bytes.Append(read.Buffer.Slice(0, take));
                    Advance(read.Buffer, take);
                    if (read.IsCompleted && (!exact || bytes.Length < length))
                    {
                        if (exact)
                            throw InferenceException.BadRequest($"the body ends after {_consumed} bytes, inside its {length}-byte JSON header ({HeaderLengthHeader})");
                        break;
                    }
                }
                return bytes;
            }
            catch
            {
                bytes.Dispose();
                throw;
            }
        }

        public async Task ReadTensorAsync(RequestTensor tensor, string label, CancellationToken cancellationToken)
        {
            var filled = 0;
            var total = tensor.Bytes.Length;
            while (filled < total)
            {
                var read = await ReadAsync(cancellationToken);
                var take = (int)Math.Min(read.Buffer.Length, total - filled);
                read.Buffer.Slice(0, take).CopyTo(tensor.Bytes[filled..]);
                filled += take;
                Advance(read.Buffer, take);
                if (filled < total && read.IsCompleted)
                    throw InferenceException.BadRequest($"the body is truncated: it ends after {_consumed} bytes, {filled} bytes into {label}'s {total}");
            }
            if (!BitConverter.IsLittleEndian)
                ToMachineOrder(tensor);
        }

        public async Task ExpectEndAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var read = await ReadAsync(cancellationToken);
                var extra = read.Buffer.Length;
                Advance(read.Buffer, extra);
                if (extra > 0)
                    throw InferenceException.BadRequest($"the body goes on past its last binary input: {extra} more bytes after byte {_consumed - extra}");
                if (read.IsCompleted)
                    return;
            }
        }

        private async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken)
        {
            ReadResult read;
            try
            {
                read = await pipe.ReadAsync(cancellationToken);
            }
            catch (InvalidDataException error)
            {
                throw InferenceException.BadRequest($"the body does not decode as its Content-Encoding says: {error.Message}");
            }
            if (decodedLimit is { } limit && _consumed + read.Buffer.Length > limit)
            {
                pipe.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                throw new InferenceException(StatusCodes.Status413PayloadTooLarge, $"the body decodes to more than the service's limit of {limit} bytes");
            }
            return read;
        }

        private void Advance(ReadOnlySequence<byte> buffer, long consumed)
        {
            pipe.AdvanceTo(buffer.GetPosition(consumed));
            _consumed += consumed;
        }

        private static void ToMachineOrder(RequestTensor tensor)
        {
            var bytes = tensor.Bytes;
            if (tensor.IsSingle)
                BinaryPrimitives.ReverseEndianness(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(bytes), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(bytes));
            else
                BinaryPrimitives.ReverseEndianness(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(bytes), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(bytes));
        }
    }

    /// <summary>A growable pooled byte buffer for the JSON header.</summary>
    private sealed class PooledBytes(int capacity) : IDisposable
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 16));

        public int Length { get; private set; }

        public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

        public void Append(ReadOnlySequence<byte> bytes)
        {
            var needed = checked(Length + (int)bytes.Length);
            if (needed > _buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
                Span.CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }
            bytes.CopyTo(_buffer.AsSpan(Length));
            Length = needed;
        }

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
