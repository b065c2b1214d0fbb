using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace ConvService.Api.Json;

/// <summary>
/// A request record bound by <see cref="JsonBody"/> (streamed, tensors straight into pooled buffers) and documented
/// in OpenAPI as a JSON body of its own type. Implementing it is the whole opt-in.
/// </summary>
public interface IJsonBodyRequest<TSelf> : IBindableFromHttpContext<TSelf>, IEndpointParameterMetadataProvider
    where TSelf : class, IJsonBodyRequest<TSelf>
{
    static ValueTask<TSelf?> IBindableFromHttpContext<TSelf>.BindAsync(HttpContext context, ParameterInfo parameter) =>
        JsonBody.ReadAsync<TSelf>(context);

    static void IEndpointParameterMetadataProvider.PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) =>
        builder.Metadata.Add(new AcceptsMetadata(["application/json"], typeof(TSelf), isOptional: false));
}
