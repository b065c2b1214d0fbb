using System.Runtime.CompilerServices;
using System.Text;
using ConvService.Api.Hosting;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Parsing;

namespace ConvService.Api.Tests.Hosting;

public class BatchedConsoleSinkTests
{
    private static readonly MessageTemplate Template = new MessageTemplateParser().Parse("request {Number}");

    private static LogEvent Event(int number) =>
        new(DateTimeOffset.UnixEpoch, LogEventLevel.Information, null, Template, [new LogEventProperty("Number", new ScalarValue(number))]);

    [Fact]
    public void EveryEventIsWrittenOnce_InOrder_ByTheTimeTheSinkIsDisposed()
    {
        var output = new CountingStream();
        using (var sink = new BatchedConsoleSink(new RenderedCompactJsonFormatter(), output))
        {
            for (var i = 0; i < 2500; i++)
                sink.Emit(Event(i));
        }

        var lines = output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2500, lines.Length);
        for (var i = 0; i < lines.Length; i++)
            Assert.Contains($"\"@m\":\"request {i}\"", lines[i]);
    }

    [Fact]
    public void EventsThatArriveTogether_GoOutInOneWrite()
    {
        var output = new CountingStream();
        using (var sink = new BatchedConsoleSink(new RenderedCompactJsonFormatter(), output))
        {
            // Far faster than the writer's 50 ms interval: a batch or a few, not one write per event.
            for (var i = 0; i < 1000; i++)
                sink.Emit(Event(i));
        }

        Assert.InRange(output.Writes, 1, 10);
        Assert.Equal(1000, output.Text.Count(c => c == '\n'));
    }

    [Fact]
    public void PastTheQueueLimit_EventsAreDroppedAndTheCountIsLogged()
    {
        var output = new CountingStream { Blocked = new ManualResetEventSlim() };
        using (var sink = new BatchedConsoleSink(new RenderedCompactJsonFormatter(), output))
        {
            // The first event is taken by the writer, which then blocks in its write: the rest wait in the queue.
            sink.Emit(Event(-1));
            Assert.True(output.Entered.Wait(TimeSpan.FromSeconds(10)), "the writer never wrote");
            for (var i = 0; i < BatchedConsoleSink.QueueLimit + 500; i++)
                sink.Emit(Event(i));
            output.Blocked.Set();
        }

        var lines = output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + BatchedConsoleSink.QueueLimit + 1, lines.Length);
        Assert.Contains("\"@m\":\"500 log events dropped: the console fell behind\"", lines[^1]);
        Assert.Contains($"\"@m\":\"request {BatchedConsoleSink.QueueLimit - 1}\"", lines[^2]);
    }

    [Fact]
    public void AnEmittedEvent_IsNotHeldWhileItsLineWaits()
    {
        var output = new CountingStream { Blocked = new ManualResetEventSlim() };
        var sink = new BatchedConsoleSink(new RenderedCompactJsonFormatter(), output);
        bool alive;
        try
        {
            sink.Emit(Event(-1));
            Assert.True(output.Entered.Wait(TimeSpan.FromSeconds(10)), "the writer never wrote");
            // The writer is held in its write: the next event's line waits in the queue, but the event itself may go.
            var emitted = EmitAndForget(sink, 7);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            alive = emitted.IsAlive;
        }
        finally
        {
            output.Blocked.Set();
            sink.Dispose();
        }

        Assert.False(alive, "the sink still holds the event its queue has the text of");

        Assert.Contains("\"@m\":\"request 7\"", output.Text);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference EmitAndForget(BatchedConsoleSink sink, int number)
    {
        var logEvent = Event(number);
        sink.Emit(logEvent);
        return new WeakReference(logEvent);
    }

    /// <summary>Standard output's stand-in: counts writes, keeps the text, and can hold the writer in its first write.</summary>
    private sealed class CountingStream : Stream
    {
        private readonly MemoryStream _text = new();

        public ManualResetEventSlim? Blocked { get; init; }

        public ManualResetEventSlim Entered { get; } = new();

        public int Writes { get; private set; }

        public string Text
        {
            get
            {
                lock (_text)
                    return Encoding.UTF8.GetString(_text.ToArray());
            }
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Entered.Set();
            Blocked?.Wait();
            lock (_text)
            {
                _text.Write(buffer, offset, count);
                Writes++;
            }
        }

        public override void Flush() { }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
