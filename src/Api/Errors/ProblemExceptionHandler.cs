using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace ConvService.Api.Errors;

/// <summary>
/// The one place that turns an exception into problem+json: unreadable bodies become 400s naming the field,
/// framework status codes (413, 415) keep their status, anything unexpected is a 500 without details, logged at Error
/// with its trace id. A Domain guard's <see cref="ArgumentException"/> is unexpected too: every request is validated
/// into a plan first, so a guard that fires is a bug of ours, not the client's.
/// </summary>
public sealed partial class ProblemExceptionHandler(IProblemDetailsService problemDetails, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => JsonProblems.From(json),
            JsonException json => JsonProblems.From(json),
            BadHttpRequestException bad => BodyProblems.From(bad),
            _ => null,
        };
        if (problem is null)
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path, System.Diagnostics.Activity.Current?.TraceId.ToString() ?? httpContext.TraceIdentifier);
        else
            LogRejected(logger, problem.Status, problem.Title);

        problem ??= new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = StatusCodes.Status500InternalServerError, Title = "An unexpected error occurred." };
        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path} (trace {TraceId})")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path, string traceId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rejected request with {Status}: {Title}")]
    private static partial void LogRejected(ILogger logger, int? status, string? title);
}
