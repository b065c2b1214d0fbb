using Microsoft.AspNetCore.Mvc;

namespace ConvService.Api.Errors;

/// <summary>Problems the framework raises about a body before any JSON is read: missing, too large, wrong content type.</summary>
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
        StatusCodes.Status415UnsupportedMediaType => new ProblemDetails
        {
            Status = StatusCodes.Status415UnsupportedMediaType,
            Title = "The request body must be JSON.",
            Detail = "Send the body with Content-Type: application/json.",
        },
        StatusCodes.Status400BadRequest => JsonProblems.Field(JsonProblems.BodyField, "a JSON object body is required"),
        var status => new ProblemDetails { Status = status, Title = "The request could not be read." },
    };
}
