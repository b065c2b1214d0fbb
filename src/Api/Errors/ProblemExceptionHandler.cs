using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace ConvService.Api.Errors;

/// <summary>
/// The one place that turns an exception into problem+json. Only the project's own wire failures are the client's
/// fault: unreadable bodies become 400s naming the field, framework status codes (408, 413, 415) keep their status.
/// Anything else, an <see cref="ArgumentException"/> from a Domain guard included, is a bug of ours: logged at Error
/// with the trace id the problem carries, and answered 500 without internals.
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
            _ => null,
        };
        if (problem is null)
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path, TraceIdOf(httpContext));
        else
            LogRejected(logger, problem.Status, problem.Title);

        problem ??= new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status500InternalServerError,
            Title = "An unexpected error occurred.",
            Detail = "The service failed while handling this request; this is a fault of the service, not of the request. Quote the traceId when reporting it.",
        };
        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>The id ASP.NET Core writes as the problem's <c>traceId</c>, so a report and the log line meet.</summary>
    public static string TraceIdOf(HttpContext httpContext) => Activity.Current?.Id ?? httpContext.TraceIdentifier;

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}, trace {TraceId}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path, string traceId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rejected request with {Status}: {Title}")]
    private static partial void LogRejected(ILogger logger, int? status, string? title);
}
