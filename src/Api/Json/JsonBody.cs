using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Json;

/// <summary>
/// Binds a request record straight from the body's pipe: tensors stream into pooled buffers as their bytes arrive
/// (the body is never held whole), the few small fields go through System.Text.Json with the wire converters.
/// </summary>
public static class JsonBody
{
    public static async ValueTask<T?> ReadAsync<T>(HttpContext context) where T : class
    {
        var request = context.Request;
        if (!request.HasJsonContentType())
            throw new BadHttpRequestException("the body must be JSON", StatusCodes.Status415UnsupportedMediaType);
        var options = context.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        using var binder = new JsonBodyBinder(options, TensorFields<T>.Setters, request.ContentLength);
        var pipe = request.BodyReader;
        while (true)
        {
            var read = await pipe.ReadAsync(context.RequestAborted);
            var consumed = read.Buffer.Start;
            try
            {
                consumed = binder.Feed(read.Buffer, read.IsCompleted);
            }
            finally
            {
                // Also when the body is refused: a read left open would stop Kestrel reading the next request.
                pipe.AdvanceTo(consumed, read.Buffer.End);
            }
            if (read.IsCompleted)
                break;
        }
        if (binder.IsEmpty)
            throw new BadHttpRequestException("a JSON object body is required", StatusCodes.Status400BadRequest);
        return binder.Build<T>();
    }

    /// <summary>The tensor-typed properties of a request type, by their JSON names.</summary>
    private static class TensorFields<T>
    {
        public static readonly IReadOnlyDictionary<string, PropertyInfo> Setters = typeof(T)
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType == typeof(JsonTensor) && p.CanWrite)
            .ToDictionary(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name), StringComparer.OrdinalIgnoreCase);
    }
}
