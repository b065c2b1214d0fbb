using System.Buffers;
using System.Text.Json;
using ConvService.Api.Hosting;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Json;

/// <summary>
/// Binds a request record straight from the body's pipe: tensors stream into pooled buffers as their bytes arrive
/// (the body is never held whole), the few small fields go through System.Text.Json with the wire converters.
/// </summary>
public static class JsonBody
{
    public static async ValueTask<T?> ReadAsync<T>(HttpContext context) where T : class, IJsonBodyRequest<T>
    {
        var request = context.Request;
        if (!request.HasJsonContentType())
            throw new BadHttpRequestException("the body must be JSON", StatusCodes.Status415UnsupportedMediaType);
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var limits = services.GetRequiredService<IOptions<ServiceLimits>>().Value;
        using var binder = new JsonBodyBinder(options, T.TensorFields, limits.MaxElementsPerTensor, new ElementBudget(limits.MaxElementsPerRequest), request.ContentLength);
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

    /// <summary>Reads a buffered JSON object body the way a request body is read (tests and benchmarks).</summary>
    public static T? Read<T>(ReadOnlyMemory<byte> json, JsonSerializerOptions options, int maxElementsPerTensor, int maxElementsPerRequest) where T : class, IJsonBodyRequest<T> =>
        Read<T>(new ReadOnlySequence<byte>(json), options, maxElementsPerTensor, maxElementsPerRequest);

    /// <summary>
    /// Reads a body held as a sequence of blocks, as Kestrel's pipe holds one, in a single pass (the benchmarks time
    /// the blocks a request arrives in).
    /// </summary>
    public static T? Read<T>(ReadOnlySequence<byte> json, JsonSerializerOptions options, int maxElementsPerTensor, int maxElementsPerRequest) where T : class, IJsonBodyRequest<T>
    {
        using var binder = new JsonBodyBinder(options, T.TensorFields, maxElementsPerTensor, new ElementBudget(maxElementsPerRequest), json.Length);
        binder.Feed(json, isFinalBlock: true);
        return binder.Build<T>();
    }
}
