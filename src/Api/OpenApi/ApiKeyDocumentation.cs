using ConvService.Api.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ConvService.Api.OpenApi;

/// <summary>
/// When API keys are configured: the OpenAPI document declares the X-Api-Key header scheme (Swagger UI's Authorize
/// button then sends it) and marks every operation that needs it, the ones not opened to all.
/// </summary>
public sealed class ApiKeyOperationFilter : IOperationFilter
{
    public static void Describe(SwaggerGenOptions options)
    {
        options.AddSecurityDefinition(ApiKeys.Scheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeys.Header,
            Description = "This deployment requires an API key for computations; ask its operator for one.",
        });
        options.AddOperationFilterInstance(new ApiKeyOperationFilter());
    }

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any())
            return;
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeys.Scheme, context.Document)] = [] });
        operation.Responses ??= [];
        operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No X-Api-Key header, or not one of the service's keys" });
    }
}
