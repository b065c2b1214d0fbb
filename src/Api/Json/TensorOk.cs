using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;

namespace ConvService.Api.Json;

/// <summary>
/// A 200 whose body is a response record of tensors, streamed field by field (see <see cref="TensorJsonWriter"/>)
/// instead of being serialized whole; OpenAPI sees it as a 200 of <typeparamref name="T"/>.
/// </summary>
public sealed class TensorOk<T>(T value) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<T>, IEndpointMetadataProvider
    where T : class, ITensorResponse
{
    public T Value { get; } = value;

    object? IValueHttpResult.Value => Value;

    public int StatusCode => StatusCodes.Status200OK;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = "application/json; charset=utf-8";
        var pipe = response.BodyWriter;
        var cancellationToken = httpContext.RequestAborted;
        await using var writer = new Utf8JsonWriter(pipe);
        writer.WriteStartObject();
        foreach (var (name, tensor) in Value.Tensors)
        {
            writer.WritePropertyName(name);
            await tensor.WriteAsync(writer, pipe, cancellationToken);
        }
        writer.WriteEndObject();
        // Into the pipe, not sent: Kestrel sends what is left with the response's end, so a small answer leaves in one
        // write, not its body first and the chunked ending after it (one send fewer; and a replica killed between the two
        // left nginx a response it could neither complete nor resend).
        writer.Flush();
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
}

/// <summary>Creates <see cref="TensorOk{T}"/> results, as <c>TypedResults.Ok</c> does for ordinary ones.</summary>
public static class TensorResults
{
    public static TensorOk<T> Ok<T>(T value) where T : class, ITensorResponse => new(value);
}
