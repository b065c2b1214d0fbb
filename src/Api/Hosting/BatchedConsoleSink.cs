using System.Globalization;
using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace ConvService.Api.Hosting;

/// <summary>
/// Standard output written a batch at a time by one background thread that wakes on a clock, never per event. With
/// per-request logs on (the default), the console sink behind <c>WriteTo.Async</c> made the seed request's median
/// 57–160 µs in-process on a 2-core machine, against 28 µs with the events made and dropped: it wrote and flushed each
/// event alone, and its queue woke the writer for every one. Serilog's own batching (<c>BatchingOptions</c>) was no
/// better (52–76 µs): it too wakes a pool thread per event while a batch fills, and the pool's spinning took the core
/// the requests needed.
/// <para>
/// A request's event is formatted where it is emitted, and its UTF-8 text appended to the pending batch under a lock
/// held for the copy; every <see cref="Interval"/> the writer takes the batch and writes it with one call. The batch
/// holds text, not events: when the events themselves waited for the writer, they and their properties outlived the
/// young generation's collections, and with per-request logs on the service ran 64 gen1 collections every 4 s, its
/// threads stopped 9.8% of the time (1 and 1.7% with the logs off; dotnet-counters, the seed request under wrk).
/// </para>
/// </summary>
/// <remarks>
/// Past <see cref="QueueLimit"/> waiting events new ones are dropped and counted, rather than slow the requests or
/// hold unbounded memory; the count goes out as its own line. Disposing (the host's shutdown) writes what is left.
/// </remarks>
internal sealed class BatchedConsoleSink : ILogEventSink, IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    public const int QueueLimit = 10_000;

    private readonly ITextFormatter _formatter;
    private readonly Stream _output;
    private readonly Lock _gate = new();
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stopping = new();
    // The batch events are appended to and the one being written; swapped under the gate.
    private MemoryStream _pending = new(), _writing = new();
    private int _waiting, _dropped;

    public BatchedConsoleSink(ITextFormatter formatter, Stream output)
    {
        (_formatter, _output) = (formatter, output);
        _thread = new Thread(Run) { IsBackground = true, Name = "log writer" };
        _thread.Start();
    }

    public void Emit(LogEvent logEvent)
    {
        if (Volatile.Read(ref _waiting) >= QueueLimit)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }
        var text = Text.Of(_formatter, logEvent);
        lock (_gate)
        {
            if (_waiting >= QueueLimit)
            {
                Interlocked.Increment(ref _dropped);
                return;
            }
            _pending.Write(text);
            _waiting++;
        }
    }

    private void Run()
    {
        while (!_stopping.Wait(Interval))
            WriteWaiting();
        WriteWaiting();
    }

    /// <summary>Takes the pending batch (and the count of dropped events) and writes it with one call.</summary>
    private void WriteWaiting()
    {
        int dropped;
        lock (_gate)
        {
            (_pending, _writing) = (_writing, _pending);
            _waiting = 0;
            dropped = Interlocked.Exchange(ref _dropped, 0);
        }
        if (dropped > 0)
            _writing.Write(Text.Of(_formatter, new LogEvent(DateTimeOffset.Now, LogEventLevel.Warning, null, DroppedTemplate, [new LogEventProperty("Dropped", new ScalarValue(dropped))])));
        if (_writing.Length == 0)
            return;
        try
        {
            _output.Write(_writing.GetBuffer(), 0, (int)_writing.Length);
            _output.Flush();
        }
        catch (IOException)
        {
            // Standard output closed (a detached container, a closed pipe): the lines have nowhere to go.
        }
        _writing.SetLength(0);
    }

    private static readonly MessageTemplate DroppedTemplate = new Serilog.Parsing.MessageTemplateParser().Parse("{Dropped} log events dropped: the console fell behind");

    public void Dispose()
    {
        _stopping.Set();
        _thread.Join();
        _pending.Dispose();
        _writing.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Each thread's buffers for an event's text: the formatter's characters, then their UTF-8 bytes.</summary>
    private sealed class Text
    {
        [ThreadStatic]
        private static Text? t_current;

        private readonly StringWriter _chars = new(CultureInfo.InvariantCulture);
        private readonly Encoder _utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetEncoder();
        private byte[] _bytes = new byte[1024];

        /// <summary>The event's line in UTF-8, valid until this thread formats another.</summary>
        public static ReadOnlySpan<byte> Of(ITextFormatter formatter, LogEvent logEvent)
        {
            var text = t_current ??= new Text();
            var builder = text._chars.GetStringBuilder();
            builder.Clear();
            formatter.Format(logEvent, text._chars);
            var most = Encoding.UTF8.GetMaxByteCount(builder.Length);
            if (text._bytes.Length < most)
                text._bytes = new byte[Math.Max(most, 2 * text._bytes.Length)];
            var length = 0;
            var chunks = builder.GetChunks();
            var more = chunks.MoveNext();
            while (more)
            {
                var chunk = chunks.Current.Span;
                more = chunks.MoveNext();
                length += text._utf8.GetBytes(chunk, text._bytes.AsSpan(length), flush: !more);
            }
            var line = text._bytes.AsSpan(0, length);
            // A rare long event (an exception's stack trace) does not keep its buffers' size for the thread's life.
            if (builder.Capacity > 64 << 10)
                t_current = null;
            return line;
        }
    }
}
