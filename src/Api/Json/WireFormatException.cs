using System.Text.Json;

namespace ConvService.Api.Json;

/// <summary>A JSON value that is not the type or shape a field needs; the message is written for the client.</summary>
public sealed class WireFormatException(string message) : JsonException(message);
