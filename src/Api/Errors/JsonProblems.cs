using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace ConvService.Api.Errors;

/// <summary>Problems for bodies that are not the JSON an endpoint reads, keyed by the top-level field the reader was in.</summary>
public static class JsonProblems
{
    public const string BodyField = "body";

    public static ProblemDetails From(JsonException exception)
    {
        var field = FieldOf(exception.Path);
        var message = exception is Json.WireFormatException
            ? $"{field}: {exception.Message}"
            : $"not valid JSON{Where(exception)}: {FirstSentence(exception.Message)}";
        return Field(field, message);
    }

    /// <summary>A 400 validation problem with one message for one field.</summary>
    public static ProblemDetails Field(string field, string message) =>
        new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request breaks the API contract.",
        };

    /// <summary>"$.input[3]" → "input"; "$['odd name']" → "odd name"; "$" or none → "body".</summary>
    public static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
            return BodyField;
        var rest = path.AsSpan(1);
        if (rest.StartsWith("['"))
        {
            var end = rest.IndexOf("']");
            return end > 2 ? rest[2..end].ToString() : BodyField;
        }
        if (rest.StartsWith("."))
        {
            rest = rest[1..];
            var end = rest.IndexOfAny('.', '[');
            return (end < 0 ? rest : rest[..end]).ToString();
        }
        return BodyField;
    }

    private static string Where(JsonException exception) =>
        exception.LineNumber is { } line ? $" at line {line + 1}, byte {exception.BytePositionInLine + 1}" : "";

    private static string FirstSentence(string message)
    {
        if (message.Contains("could not be converted to", StringComparison.Ordinal))
            return "the value has the wrong JSON type (the body must be an object with the fields of this request)";
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        cut = cut > 0 ? cut : message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var text = cut > 0 ? message[..cut] : message;
        return text.Replace("'", "", StringComparison.Ordinal).TrimEnd('.');
    }
}
