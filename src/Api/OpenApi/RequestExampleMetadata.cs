using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ConvService.Api.OpenApi;

/// <summary>An endpoint's request body example, carried as metadata and written into the OpenAPI operation.</summary>
public sealed record RequestExampleMetadata(Func<JsonNode> Example);

/// <summary>One of several named request examples; Swagger UI prefills the first and lists the others.</summary>
/// <param name="Name">The example's key ("1-D").</param>
/// <param name="Summary">What it shows, as Swagger UI's example list names it.</param>
/// <param name="Value">The request body.</param>
public sealed record RequestExample(string Name, string Summary, JsonObject Value);

/// <summary>An endpoint's named request examples, carried as metadata and written into the OpenAPI operation.</summary>
public sealed record RequestExamplesMetadata(Func<IEnumerable<RequestExample>> Examples);

public static class RequestExampleExtensions
{
    public static RouteHandlerBuilder WithRequestExample(this RouteHandlerBuilder builder, Func<JsonNode> example) =>
        builder.WithMetadata(new RequestExampleMetadata(example));

    public static RouteHandlerBuilder WithRequestExamples(this RouteHandlerBuilder builder, Func<IEnumerable<RequestExample>> examples) =>
        builder.WithMetadata(new RequestExamplesMetadata(examples));
}

/// <summary>Sets each operation's JSON request example(s) from its <see cref="RequestExampleMetadata"/> or <see cref="RequestExamplesMetadata"/>.</summary>
public sealed class RequestExampleOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        if (operation.RequestBody?.Content is not { } content)
            return;
        var examples = metadata.OfType<RequestExamplesMetadata>().LastOrDefault();
        var example = metadata.OfType<RequestExampleMetadata>().LastOrDefault();
        foreach (var media in content.Values.OfType<OpenApiMediaType>())
        {
            if (examples is not null)
                media.Examples = examples.Examples().ToDictionary(e => e.Name, e => (IOpenApiExample)new OpenApiExample { Summary = e.Summary, Value = e.Value });
            else if (example is not null)
                media.Example = example.Example();
        }
    }
}
