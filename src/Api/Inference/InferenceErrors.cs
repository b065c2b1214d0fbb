using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Inference;

/// <summary>A request the inference protocol refuses, with the status and the message a client reads as <c>{"error"}</c>.</summary>
public sealed class InferenceException(int statusCode, string message) : BadHttpRequestException(message, statusCode)
{
    public static InferenceException BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);
}

/// <summary>The protocol's error body: <c>{"error": "message"}</c>.</summary>
/// <param name="Error">What was wrong, naming the input or parameter and the numbers.</param>
public sealed record InferenceError(string Error)
{
    /// <summary>Writes messages as they read (quotes as \", × as ×), as the protocol's clients print them.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = ConvService.Api.Json.WireJsonContext.Default,
    };

    /// <summary>An error answer with <paramref name="status"/>.</summary>
    public static JsonHttpResult<InferenceError> Result(string message, int status = StatusCodes.Status400BadRequest) =>
        TypedResults.Json(new InferenceError(message), Json, "application/json", status);

    /// <summary>The problem an exception stands for, when it is the protocol's own refusal.</summary>
    public static ProblemDetails Problem(InferenceException exception) =>
        new() { Status = exception.StatusCode, Title = "The inference request was refused.", Detail = exception.Message };

    /// <summary>What a problem says, as one line: its detail, or its field errors, or its title.</summary>
    public static string MessageOf(ProblemDetails problem) => problem switch
    {
        HttpValidationProblemDetails { Errors.Count: > 0 } validation =>
            string.Join("; ", validation.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))),
        _ => problem.Detail ?? problem.Title ?? "the request failed",
    };
}

/// <summary>
/// Writes every problem under /v2 as the protocol's <c>{"error"}</c> instead of problem+json: the 400s, 404s and 415s
/// of the front door, and the 413, 429, 503, 504 and 500 that the shared hosting layers (Kestrel's body limit, the
/// concurrency limiter, the time limit, the exception handler) raise for any route. Registered before the default
/// writer, which writes everything else.
/// </summary>
public sealed class InferenceErrorWriter(IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    public const string Prefix = "/v2";

    public bool CanWrite(ProblemDetailsContext context) => context.HttpContext.Request.Path.StartsWithSegments(Prefix);

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        // The front door's own refusals already say what they mean; the shared wording (413's limit) is for the others.
        if (context.Exception is not InferenceException)
            options.Value.CustomizeProblemDetails?.Invoke(context);
        var response = context.HttpContext.Response;
        if (context.ProblemDetails.Status is { } status)
            response.StatusCode = status;
        // Not RequestAborted: a 504 is written after the time limit has cancelled it.
        return new ValueTask(response.WriteAsJsonAsync(new InferenceError(InferenceError.MessageOf(context.ProblemDetails)), InferenceError.Json, "application/json", CancellationToken.None));
    }
}
