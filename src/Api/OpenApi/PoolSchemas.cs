using Microsoft.OpenApi;

namespace ConvService.Api.OpenApi;

/// <summary>OpenAPI schemas for the pooling option types whose JSON the converters define by hand.</summary>
public static class PoolSchemas
{
    public static OpenApiSchema OutputSize() => new()
    {
        Description = "one integer for both axes, or [height, width]; an entry may be null (adaptive: keep that axis)",
        OneOf =
        [
            new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
            new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Minimum = "1" }, MinItems = 2, MaxItems = 2 },
        ],
    };

    public static OpenApiSchema Ratio() => new()
    {
        Description = "one number in (0, 1) for both axes, or [height, width]",
        OneOf =
        [
            new OpenApiSchema { Type = JsonSchemaType.Number },
            new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.Number }, MinItems = 2, MaxItems = 2 },
        ],
    };
}
