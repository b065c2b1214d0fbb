using Microsoft.AspNetCore.Mvc;

namespace ConvService.Api.Errors;

/// <summary>Problems about a request as a whole rather than a field: body missing, too large or not JSON; service busy; too slow.</summary>
public static class BodyProblems
{
    public static ProblemDetails From(BadHttpRequestException exception) => exception.StatusCode switch
    {
        StatusCodes.Status413PayloadTooLarge => new ProblemDetails
        {
            Status = StatusCodes.Status413PayloadTooLarge,
            Title = "The request body is too large.",
            Detail = "The body exceeds the service's request size limit.",
        },
        StatusCodes.Status408RequestTimeout => new ProblemDetails
        {
            Status = StatusCodes.Status408RequestTimeout,
            Title = "The request body arrived too slowly.",
            Detail = "The body arrived slower than the service's minimum upload rate; send it at once.",
        },
        StatusCodes.Status415UnsupportedMediaType => new ProblemDetails
        {
            Status = StatusCodes.Status415UnsupportedMediaType,
            Title = "The request body must be JSON.",
            Detail = "Send the body with Content-Type: application/json.",
        },
        StatusCodes.Status400BadRequest => JsonProblems.Field(JsonProblems.BodyField, "a JSON object body is required"),
        var status => new ProblemDetails { Status = status, Title = "The request could not be read." },
    };

    /// <summary>Words a 413 (however the framework raised it) with the limit in bytes.</summary>
    public static void DescribeTooLarge(ProblemDetails problem, long limitBytes)
    {
        problem.Title = "The request body is too large.";
        problem.Detail = $"The body exceeds the service's limit of {limitBytes} bytes.";
    }

    /// <summary>429: every compute slot is busy and the queue is full.</summary>
    public static ProblemDetails Overloaded(int retryAfterSeconds) => new()
    {
        Status = StatusCodes.Status429TooManyRequests,
        Title = "The service is busy.",
        Detail = $"Every compute slot is taken and the queue is full; retry after {retryAfterSeconds} s.",
    };

    /// <summary>504: the request ran past the service's time limit (upload, wait and computation together) and was stopped.</summary>
    public static ProblemDetails TimedOut(TimeSpan limit) => new()
    {
        Status = StatusCodes.Status504GatewayTimeout,
        Title = "The request took too long.",
        Detail = $"The request was stopped at the service's time limit of {limit.TotalSeconds:0.###} s, counted from its arrival (upload, wait for a compute slot and computation); send a smaller request, or retry later.",
    };
}
