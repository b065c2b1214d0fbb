using System.Text.Json;

namespace ConvService.Api.Json;

/// <summary>A JSON value that is not the type or shape a field needs; the message is written for the client.</summary>
public sealed class WireFormatException : JsonException
{
    public WireFormatException(string message)
        : base(message)
    {
    }

    /// <summary>The same problem located at <paramref name="path"/> ("$.input"), which names the field.</summary>
    public WireFormatException(string message, string path)
        : base(message, path, null, null)
    {
    }
}
