using System.Buffers;
using System.Collections.Frozen;
using System.Text.Json;
using ConvService.Api.Wire;

namespace ConvService.Api.Json;

/// <summary>
/// The resumable state of <see cref="JsonBody"/>: fed successive views of the body, it parses tensor fields token by
/// token and copies every other field's raw JSON aside, so the body's bytes can be released as soon as they are read.
/// </summary>
/// <param name="options">The wire's serializer options.</param>
/// <param name="tensorFields">The JSON names of the request type's tensor fields.</param>
/// <param name="maxElements">The most numbers one tensor may hold.</param>
/// <param name="budget">The numbers all the request's tensors may hold together.</param>
/// <param name="bodyLength">The announced body length, if any: a tensor's announced shape reserves no more than it could hold.</param>
internal sealed class JsonBodyBinder(JsonSerializerOptions options, FrozenSet<string> tensorFields, int maxElements, ElementBudget budget, long? bodyLength) : IDisposable
{
    private enum Mode { BeforeRoot, InRoot, Done }

    private readonly ArrayBufferWriter<byte> _small = new(256);
    private readonly TensorArguments _tensors = new();
    private Utf8JsonWriter? _writer;
    private JsonReaderState _state = new(new JsonReaderOptions { MaxDepth = options.MaxDepth });
    private Mode _mode;
    private TensorTokenParser? _tensor;
    private string? _tensorField;
    private string _field = "";
    // What the current reader reads: the fed buffer, or its rest after a run the reader stepped over.
    private ReadOnlySequence<byte> _view;
    private bool _isFinalBlock;

    public bool IsEmpty => _mode == Mode.BeforeRoot;

    /// <summary>Reads what <paramref name="buffer"/> holds and returns how far the body may be released.</summary>
    public SequencePosition Feed(ReadOnlySequence<byte> buffer, bool isFinalBlock)
    {
        (_view, _isFinalBlock) = (buffer, isFinalBlock);
        if (_mode == Mode.BeforeRoot && isFinalBlock && IsWhitespace(buffer))
            return buffer.End;
        var reader = new Utf8JsonReader(buffer, isFinalBlock, _state);
        try
        {
            var (state, consumed) = ReadAvailable(ref reader);
            _state = state;
            return _view.GetPosition(consumed);
        }
        catch (WireFormatException error) when (error.Path is null)
        {
            throw new WireFormatException(error.Message, PathOf(_field));
        }
        catch (JsonException error) when (error is not WireFormatException)
        {
            throw new JsonException(error.Message, PathOf(_field), error.LineNumber, error.BytePositionInLine);
        }
    }

    /// <summary>The request: small fields through System.Text.Json, then the tensors handed to it.</summary>
    public T? Build<T>() where T : class, IJsonBodyRequest<T>
    {
        var writer = Writer();
        writer.WriteEndObject();
        writer.Flush();
        return Deserialize<T>(_small.WrittenSpan, options)?.WithTensors(_tensors);
    }

    /// <summary>
    /// The small fields through System.Text.Json; an enum value its converter refuses is reported with the names the
    /// field accepts (the framework's message names neither).
    /// </summary>
    internal static T? Deserialize<T>(ReadOnlySpan<byte> json, JsonSerializerOptions options)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, options);
        }
        catch (JsonException error) when (error is not WireFormatException && WireJson.EnumFieldProblem(typeof(T), json, error.Path, options) is { } problem)
        {
            throw problem;
        }
    }

    public void Dispose()
    {
        _tensor?.Release();
        _tensors.Dispose();
        _writer?.Dispose();
    }

    private (JsonReaderState, long) ReadAvailable(ref Utf8JsonReader reader)
    {
        while (true)
        {
            if (_tensor is not null)
            {
                if (!ReadTensor(ref reader))
                    return (reader.CurrentState, reader.BytesConsumed);
                StoreTensor();
            }
            var (checkpoint, checkpointConsumed) = (reader.CurrentState, reader.BytesConsumed);
            if (!reader.Read())
                return (reader.CurrentState, reader.BytesConsumed);
            if (!ReadToken(ref reader))
                return (checkpoint, checkpointConsumed);
        }
    }

    /// <summary>Handles one top-level token; false when the value after a property name is not all here yet.</summary>
    private bool ReadToken(ref Utf8JsonReader reader)
    {
        switch (_mode)
        {
            case Mode.BeforeRoot when reader.TokenType != JsonTokenType.StartObject:
                throw new WireFormatException($"the body must be a JSON object; got {TensorTokenParser.Describe(reader.TokenType)}", "$");
            case Mode.BeforeRoot:
                _mode = Mode.InRoot;
                Writer().WriteStartObject();
                return true;
            case Mode.InRoot when reader.TokenType == JsonTokenType.EndObject:
                _mode = Mode.Done;
                return true;
            case Mode.InRoot:
                _field = reader.GetString()!;
                return tensorFields.TryGetValue(_field, out var tensorField) ? StartTensor(ref reader, tensorField) : CopySmallField(ref reader);
            default:
                return true;
        }
    }

    private bool StartTensor(ref Utf8JsonReader reader, string field)
    {
        if (!reader.Read())
            return false;
        if (reader.TokenType == JsonTokenType.Null)
            return true;
        if (_tensors.Contains(field))
            throw new WireFormatException($"{_field} appears twice in the body");
        // A number takes at least two bytes ("0,"), so the body bounds how many a shape may honestly announce.
        var reserve = (int)Math.Min(bodyLength / 2 ?? TensorBufferBuilder.MaxReserve, maxElements);
        (_tensor, _tensorField) = (TensorTokenParser.WithinBudget(maxElements, budget, reserve), field);
        _tensor.Open(ref reader);
        return true;
    }

    /// <summary>Reads on in the current tensor: tokens through the reader, runs of numbers straight from the bytes.</summary>
    /// <returns>True once the tensor has ended; false when the reader needs more data.</returns>
    private bool ReadTensor(ref Utf8JsonReader reader)
    {
        if (!ReaderLines.CanMove)
            return _tensor!.Continue(ref reader);
        while (true)
        {
            switch (_tensor!.ReadToRun(ref reader))
            {
                case TensorTokenParser.Progress.Finished:
                    return true;
                case TensorTokenParser.Progress.NeedsData:
                    return false;
            }
            SkipRun(ref reader);
        }
    }

    /// <summary>
    /// Lets the tensor read the run of numbers after the reader's position from the bytes themselves, then moves the
    /// reader past it: a new reader over the rest, in the state the reader would have reached (after a number, on the
    /// same line and byte its errors would name).
    /// </summary>
    private void SkipRun(ref Utf8JsonReader reader)
    {
        // TryGet and the two-position Slice stay in the reader's block; Slice(start) walks the blocks from the first.
        var at = reader.Position;
        var next = at;
        if (!_view.TryGet(ref next, out var block, advance: false))
            return;
        var run = _tensor!.ScanRun(block.Span);
        if (run.Consumed == 0)
            return;
        var state = reader.CurrentState;
        ReaderLines.Move(ref state, run);
        _view = _view.Slice(_view.GetPosition(run.Consumed, at), _view.End);
        reader = new Utf8JsonReader(_view, _isFinalBlock, state);
    }

    private void StoreTensor()
    {
        _tensors.Add(_tensorField!, _tensor!.Finish());
        (_tensor, _tensorField) = (null, null);
    }

    private bool CopySmallField(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
            return false;
        var start = reader.TokenStartIndex;
        if (!reader.TrySkip())
            return false;
        var writer = Writer();
        writer.WritePropertyName(_field);
        // The reader sits on the value's last token: the raw value runs from its first token to here.
        writer.WriteRawValue(_view.Slice(start, reader.BytesConsumed - start), skipInputValidation: true);
        return true;
    }

    private static bool IsWhitespace(ReadOnlySequence<byte> buffer)
    {
        foreach (var segment in buffer)
        {
            if (segment.Span.IndexOfAnyExcept(" \t\r\n"u8) >= 0)
                return false;
        }
        return true;
    }

    private Utf8JsonWriter Writer() => _writer ??= new Utf8JsonWriter(_small);

    private static string PathOf(string field) => field.Length == 0 ? "$" : $"$.{field}";
}
