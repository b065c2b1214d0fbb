using ConvService.Api.Inference;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ConvService.Api.OpenApi;

/// <summary>Documents the infer routes' body: the JSON request, or the JSON header followed by binary tensors.</summary>
public sealed class InferenceBodyOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<InferenceBodyMetadata>().Any())
            return;
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "JSON, or (binary tensor extension) a JSON header of Inference-Header-Content-Length bytes followed by the binary inputs. Any Content-Type, or none.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = context.SchemaGenerator.GenerateSchema(typeof(InferenceRequestDoc), context.SchemaRepository) },
                ["application/octet-stream"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
            },
        };
    }
}
