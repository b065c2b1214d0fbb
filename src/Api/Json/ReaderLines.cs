using System.Runtime.CompilerServices;
using System.Text.Json;

namespace ConvService.Api.Json;

/// <summary>
/// Carries a <see cref="JsonReaderState"/> over bytes read without its reader (a run of numbers read by
/// <see cref="NumberRunScanner"/>), so that the line and byte the reader's errors name stay those of the body.
/// </summary>
/// <remarks>
/// The state keeps them in two private fields that nothing public can set, so they are reached by
/// <see cref="UnsafeAccessorAttribute"/>. <see cref="CanMove"/> checks once that the fields are there and count as
/// expected; should a later System.Text.Json change them, runs are read token by token: slower, never wrong.
/// </remarks>
internal static class ReaderLines
{
    /// <summary>True when states can be moved (the fields exist and mean line and byte in line).</summary>
    public static bool CanMove { get; } = Probe();

    /// <summary>Moves <paramref name="state"/> over the run's bytes: the reader counts a line at each line feed, and bytes since the last.</summary>
    public static void Move(ref JsonReaderState state, NumberRunScanner.Run run)
    {
        if (run.Lines == 0)
        {
            BytePositionInLine(ref state) += run.Consumed;
            return;
        }
        LineNumber(ref state) += run.Lines;
        BytePositionInLine(ref state) = run.Consumed - run.LineStart;
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_lineNumber")]
    private static extern ref long LineNumber(ref JsonReaderState state);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_bytePositionInLine")]
    private static extern ref long BytePositionInLine(ref JsonReaderState state);

    private static bool Probe()
    {
        try
        {
            // After "12": line 1 (counting from 0), 3 bytes into it.
            var reader = new Utf8JsonReader("[\n 12,"u8, isFinalBlock: false, default);
            if (!reader.Read() || !reader.Read())
                return false;
            var state = reader.CurrentState;
            return LineNumber(ref state) == 1 && BytePositionInLine(ref state) == 3;
        }
        catch (MissingFieldException)
        {
            return false;
        }
    }
}
