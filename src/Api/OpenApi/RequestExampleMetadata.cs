using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ConvService.Api.OpenApi;

/// <summary>An endpoint's request body example, carried as metadata and written into the OpenAPI operation.</summary>
public sealed record RequestExampleMetadata(Func<JsonNode> Example);

public static class RequestExampleExtensions
{
    public static RouteHandlerBuilder WithRequestExample(this RouteHandlerBuilder builder, Func<JsonNode> example) =>
        builder.WithMetadata(new RequestExampleMetadata(example));
}

/// <summary>Sets each operation's JSON request example from its <see cref="RequestExampleMetadata"/>.</summary>
public sealed class RequestExampleOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var example = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<RequestExampleMetadata>().LastOrDefault();
        if (example is null || operation.RequestBody?.Content is not { } content)
            return;
        foreach (var media in content.Values.OfType<OpenApiMediaType>())
            media.Example = example.Example();
    }
}
