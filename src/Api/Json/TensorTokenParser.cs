using System.Text.Json;
using ConvService.Api.Wire;
using ConvService.Domain.Tensors;

namespace ConvService.Api.Json;

/// <summary>
/// Reads one tensor token by token, in either wire form, into a pooled contiguous buffer. Resumable: when the reader
/// runs out of data mid-tensor, a later reader over the following bytes carries on where this one stopped, so a
/// request body never has to be held whole. Nested arrays must be rectangular; numbers may be "NaN", "Infinity", "-Infinity".
/// </summary>
internal sealed class TensorTokenParser
{
    /// <summary>The deepest nesting a tensor may have; the operators take rank 5 (3-D batched) at most.</summary>
    public const int MaxRank = 5;

    private enum State { Start, Nested, FlatObject, FlatShape, FlatShapeEntries, FlatData, FlatDataEntries, Done }

    // Fixed-size fields rather than arrays: a request makes a parser per tensor, and these cost it no allocation.
    private Dims _shape;
    private Dims _index;
    private Dims _flatShape;
    private int _flatRank;
    private TensorBufferBuilder _builder;
    private readonly ElementBudget? _budget;
    private State _state;
    private int _rank = -1;
    private int _deepest;
    private int _depth;
    private bool _sawShape;
    private bool _sawData;

    /// <summary>
    /// A parser capped by the per-tensor limit or, when less is left, by the request's <paramref name="budget"/>;
    /// the finished tensor is charged to the budget.
    /// </summary>
    public static TensorTokenParser WithinBudget(int maxElements, ElementBudget? budget, int reserveLimit) =>
        new(ElementLimit.Within(maxElements, budget), reserveLimit, budget);

    private TensorTokenParser(ElementLimit limit, int reserveLimit, ElementBudget? budget)
    {
        ((Span<int>)_shape).Fill(-1);
        _builder = new TensorBufferBuilder(limit, reserveLimit);
        _budget = budget;
    }

    /// <summary>One entry per possible dimension.</summary>
    [System.Runtime.CompilerServices.InlineArray(MaxRank)]
    private struct Dims
    {
        private int _first;
    }

    private ReadOnlySpan<int> FlatShape => ((ReadOnlySpan<int>)_flatShape)[.._flatRank];

    /// <summary>
    /// One whole tensor from buffered JSON (an answer /check grades), within <paramref name="maxElements"/>.
    /// </summary>
    /// <exception cref="WireFormatException">The JSON is not a tensor, or holds more than the limit.</exception>
    public static RequestTensor Parse(ReadOnlySpan<byte> json, int maxElements)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = WireJson.MaxDepth });
        var parser = WithinBudget(maxElements, null, Math.Min(maxElements, json.Length));
        try
        {
            if (!reader.Read() || !parser.Start(ref reader))
                throw new WireFormatException("the tensor ends before its last number");
            return parser.Finish();
        }
        catch
        {
            parser.Release();
            throw;
        }
    }

    /// <summary>Where <see cref="ReadToRun"/> stopped.</summary>
    public enum Progress { NeedsData, Finished, AtRun }

    /// <summary>Consumes the token the reader is on (the tensor's first) and as many after it as the reader holds.</summary>
    /// <returns>True once the tensor's last token has been consumed; false when the reader needs more data.</returns>
    public bool Start(ref Utf8JsonReader reader)
    {
        Open(ref reader);
        return Continue(ref reader);
    }

    /// <summary>Consumes the token the reader is on, the tensor's first.</summary>
    public void Open(ref Utf8JsonReader reader) => Begin(reader.TokenType);

    /// <summary>Reads on from a reader positioned before the next token.</summary>
    public bool Continue(ref Utf8JsonReader reader) => ReadOn(ref reader, stopAtRuns: false) == Progress.Finished;

    /// <summary>
    /// As <see cref="Continue"/>, but also stops right after a number inside an innermost array, where
    /// <see cref="ScanRun"/> can read the numbers that follow straight from the bytes.
    /// </summary>
    public Progress ReadToRun(ref Utf8JsonReader reader) => ReadOn(ref reader, stopAtRuns: true);

    /// <summary>
    /// Reads the numbers that follow where <see cref="ReadToRun"/> stopped from <paramref name="text"/>, the bytes after
    /// the reader's position; the reader must resume after the run's <see cref="NumberRunScanner.Run.Consumed"/> bytes.
    /// </summary>
    public NumberRunScanner.Run ScanRun(ReadOnlySpan<byte> text)
    {
        var run = NumberRunScanner.Scan(text, _builder.Room);
        _builder.Added(run.Count);
        if (_state == State.Nested)
            _index[_depth - 1] += run.Count;
        return run;
    }

    /// <summary>The finished tensor; the parser must not be used again.</summary>
    public RequestTensor Finish()
    {
        var form = _flatRank > 0 || _sawShape ? WireForm.Flat : WireForm.Nested;
        var shape = form == WireForm.Flat ? FlatShape.ToArray() : ((ReadOnlySpan<int>)_shape)[..(_rank < 0 ? _deepest : _rank)].ToArray();
        var count = _builder.Count;
        _budget?.Spend(count);
        return RequestTensor.FromDoubles(new TensorShape(shape), _builder.Detach(), count, form);
    }

    /// <summary>Returns the buffer after a failed read.</summary>
    public void Release() => _builder.Release();

    private Progress ReadOn(ref Utf8JsonReader reader, bool stopAtRuns)
    {
        while (reader.Read())
        {
            if (InLeafRun && reader.TokenType is JsonTokenType.Number)
            {
                AddNumber(ref reader);
                if (stopAtRuns)
                    return Progress.AtRun;
                continue;
            }
            if (Step(ref reader))
                return Progress.Finished;
        }
        return Progress.NeedsData;
    }

    private bool InLeafRun => (_state == State.Nested && _depth == _rank) || _state == State.FlatDataEntries;

    private bool Step(ref Utf8JsonReader reader) => _state switch
    {
        State.Start => Begin(reader.TokenType),
        State.Nested => StepNested(ref reader),
        _ => StepFlat(ref reader),
    };

    private bool Begin(JsonTokenType token)
    {
        _state = token switch
        {
            JsonTokenType.StartArray => State.Nested,
            JsonTokenType.StartObject => State.FlatObject,
            _ => throw new WireFormatException($"expected a tensor (nested arrays of numbers, or {{\"shape\": [...], \"data\": [...]}}); got {Describe(token)}"),
        };
        if (_state == State.Nested)
            OpenArray();
        return false;
    }

    private bool StepNested(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartArray:
                OpenArray();
                return false;
            case JsonTokenType.EndArray:
                _depth--;
                if (_shape[_depth] < 0)
                    _shape[_depth] = _index[_depth];
                else if (_shape[_depth] != _index[_depth])
                    throw new WireFormatException($"ragged array: {Path(open: false)} has {_index[_depth]} entries where the first array at that depth has {_shape[_depth]}");
                _state = _depth == 0 ? State.Done : State.Nested;
                return _depth == 0;
            default:
                _rank = _rank < 0 ? _depth : _rank;
                if (_depth != _rank || _deepest > _rank)
                    throw new WireFormatException($"ragged array: {Path(open: true)} is a number where an array was expected");
                AddNumber(ref reader);
                return false;
        }
    }

    private void OpenArray()
    {
        if (_depth == MaxRank)
            throw new WireFormatException($"nested deeper than rank {MaxRank} at {Path(open: true)}");
        if (_rank >= 0 && _depth >= _rank)
            throw new WireFormatException($"ragged array: {Path(open: true)} is an array where a number was expected (rank {_rank})");
        if (_depth > 0)
            _index[_depth - 1]++;
        _index[_depth++] = 0;
        _deepest = Math.Max(_deepest, _depth);
    }

    private void AddNumber(ref Utf8JsonReader reader)
    {
        if (!TryReadNumber(ref reader, out var value))
            throw InvalidNumber(reader, _state == State.FlatDataEntries ? $"data[{_builder.Count}]" : Path(open: true));
        _builder.Add(value);
        if (_state == State.Nested)
            _index[_depth - 1]++;
    }

    private bool StepFlat(ref Utf8JsonReader reader)
    {
        var token = reader.TokenType;
        switch (_state)
        {
            case State.FlatObject when token == JsonTokenType.PropertyName:
                _state = reader.ValueTextEquals("shape"u8) ? State.FlatShape
                    : reader.ValueTextEquals("data"u8) ? State.FlatData
                    : throw new WireFormatException($"a flat tensor has only \"shape\" and \"data\"; got \"{reader.GetString()}\"");
                return false;
            case State.FlatObject:
                return EndFlat();
            case State.FlatShape or State.FlatData when token != JsonTokenType.StartArray:
                throw new WireFormatException(_state == State.FlatShape
                    ? $"\"shape\" must be an array of dimensions; got {Describe(token)}"
                    : $"\"data\" must be a flat array of numbers; got {Describe(token)}");
            case State.FlatShape:
                _state = State.FlatShapeEntries;
                return false;
            case State.FlatShapeEntries when token == JsonTokenType.EndArray:
                EndShape();
                return false;
            case State.FlatShapeEntries:
                if (token != JsonTokenType.Number || !reader.TryGetInt32(out var dim) || dim < 0)
                    throw new WireFormatException($"\"shape\" entries must be integers ≥ 0; entry {_flatRank} is not");
                if (_flatRank == MaxRank)
                    throw new WireFormatException($"\"shape\" has more than {MaxRank} dimensions");
                _flatShape[_flatRank++] = dim;
                return false;
            case State.FlatData:
                _state = State.FlatDataEntries;
                return false;
            case State.FlatDataEntries when token == JsonTokenType.EndArray:
                (_state, _sawData) = (State.FlatObject, true);
                return false;
            default:
                if (token == JsonTokenType.StartArray)
                    throw new WireFormatException($"\"data\" must be flat; data[{_builder.Count}] is an array");
                AddNumber(ref reader);
                return false;
        }
    }

    private void EndShape()
    {
        (_state, _sawShape) = (State.FlatObject, true);
        var count = TensorShape.CheckedProduct(FlatShape);
        if (count is null || count > _builder.MaxElements)
            throw new WireFormatException($"shape {string.Join('×', FlatShape.ToArray())} holds {(count is null ? "too many" : count)} elements; {_builder.Limit}");
        _builder.Reserve((int)count.Value);
    }

    private bool EndFlat()
    {
        if (!_sawShape || !_sawData)
            throw new WireFormatException($"a flat tensor needs both \"shape\" and \"data\"; \"{(_sawShape ? "data" : "shape")}\" is missing");
        var expected = TensorShape.CheckedProduct(FlatShape);
        if (expected != _builder.Count)
            throw new WireFormatException($"shape {string.Join('×', FlatShape.ToArray())} holds {expected} elements but data has {_builder.Count}");
        _state = State.Done;
        return true;
    }

    private static bool TryReadNumber(ref Utf8JsonReader reader, out double value)
    {
        if (reader.TokenType == JsonTokenType.Number)
            return (reader.HasValueSequence ? reader.TryGetDouble(out value) : FastNumber.TryParse(reader.ValueSpan, out value)) && double.IsFinite(value);
        value = reader.TokenType != JsonTokenType.String ? 0
            : reader.ValueTextEquals("NaN"u8) ? double.NaN
            : reader.ValueTextEquals("Infinity"u8) ? double.PositiveInfinity
            : reader.ValueTextEquals("-Infinity"u8) ? double.NegativeInfinity
            : 0;
        return !double.IsFinite(value);
    }

    private static WireFormatException InvalidNumber(in Utf8JsonReader reader, string where) => new(reader.TokenType switch
    {
        JsonTokenType.Number => $"{where} = {Truncate(reader)} overflows to infinity; send \"Infinity\" or \"-Infinity\" to mean it",
        JsonTokenType.String => $"{where} is the string {Truncate(reader)}; only numbers, \"NaN\", \"Infinity\" and \"-Infinity\" are allowed",
        _ => $"{where} is {Describe(reader.TokenType)}; expected a number",
    });

    /// <summary>"[1][0]": where the reader is. With <paramref name="open"/> the innermost entry is the one being read, not yet counted.</summary>
    private string Path(bool open)
    {
        var parts = new string[_depth];
        for (var d = 0; d < _depth; d++)
            parts[d] = $"[{(open && d == _depth - 1 ? _index[d] : _index[d] - 1)}]";
        return string.Concat(parts);
    }

    private static string Truncate(in Utf8JsonReader reader)
    {
        var raw = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray();
        var text = System.Text.Encoding.UTF8.GetString(raw, 0, Math.Min(raw.Length, 40));
        return reader.TokenType == JsonTokenType.String ? $"\"{text}\"" : text;
    }

    internal static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
