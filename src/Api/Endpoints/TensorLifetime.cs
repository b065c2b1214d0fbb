namespace ConvService.Api.Endpoints;

/// <summary>
/// Returns pooled tensor buffers: a request's tensors once its handler has run (or validation stopped it), and a
/// response's tensors once the response has been written.
/// </summary>
public static class TensorLifetime
{
    public static TBuilder WithTensorLifetime<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (invocation, next) =>
        {
            try
            {
                var result = await next(invocation);
                if (result is INestedHttpResult { Result: IValueHttpResult { Value: IDisposable response } })
                    invocation.HttpContext.Response.RegisterForDispose(response);
                return result;
            }
            finally
            {
                foreach (var argument in invocation.Arguments)
                    (argument as IDisposable)?.Dispose();
            }
        });
}
