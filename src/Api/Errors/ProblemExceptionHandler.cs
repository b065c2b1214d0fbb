using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace ConvService.Api.Errors;

/// <summary>
/// The one place that turns an exception into problem+json: unreadable bodies become 400s naming the field,
/// framework status codes (413, 415) keep their status, anything unexpected is a 500 without details.
/// </summary>
public sealed partial class ProblemExceptionHandler(IProblemDetailsService problemDetails, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            Inference.InferenceException refused => Inference.InferenceError.Problem(refused),
            BadHttpRequestException { InnerException: JsonException json } => JsonProblems.From(json),
            JsonException json => JsonProblems.From(json),
            BadHttpRequestException bad => BodyProblems.From(bad),
            ArgumentException argument => JsonProblems.Field(argument.ParamName ?? "request", StripParameter(argument)),
            _ => null,
        };
        if (problem is null)
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        else
            LogRejected(logger, problem.Status, problem.Title);

        problem ??= new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = StatusCodes.Status500InternalServerError, Title = "An unexpected error occurred." };
        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static string StripParameter(ArgumentException exception) =>
        exception.ParamName is null ? exception.Message : exception.Message.Replace($" (Parameter '{exception.ParamName}')", "", StringComparison.Ordinal);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rejected request with {Status}: {Title}")]
    private static partial void LogRejected(ILogger logger, int? status, string? title);
}
