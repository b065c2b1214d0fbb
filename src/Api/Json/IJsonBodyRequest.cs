using System.Collections.Frozen;
using System.Reflection;
using ConvService.Api.Hosting;
using ConvService.Api.Wire;
using Microsoft.AspNetCore.Http.Metadata;

namespace ConvService.Api.Json;

/// <summary>
/// A request record bound by <see cref="JsonBody"/> (streamed, tensors straight into pooled buffers) and documented
/// in OpenAPI as a JSON body of its own type. The record names its tensor fields and takes the tensors that were read.
/// </summary>
public interface IJsonBodyRequest<TSelf> : IComputationRequest, IBindableFromHttpContext<TSelf>, IEndpointParameterMetadataProvider
    where TSelf : class, IJsonBodyRequest<TSelf>
{
    /// <summary>The JSON names of the fields that hold tensors; the body reader streams these into pooled buffers.</summary>
    static abstract FrozenSet<string> TensorFields { get; }

    /// <summary>This request with its tensor fields set from <paramref name="tensors"/> (each taken, so the request owns it).</summary>
    TSelf WithTensors(TensorArguments tensors);

    static ValueTask<TSelf?> IBindableFromHttpContext<TSelf>.BindAsync(HttpContext context, ParameterInfo parameter) =>
        JsonBody.ReadAsync<TSelf>(context);

    static void IEndpointParameterMetadataProvider.PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) =>
        builder.Metadata.Add(new AcceptsMetadata(["application/json"], typeof(TSelf), isOptional: false));
}
