using Microsoft.OpenApi;

namespace ConvService.Api.OpenApi;

/// <summary>OpenAPI schemas for the pooling options whose JSON the per-axis converter reads.</summary>
public static class PoolSchemas
{
    public static OpenApiSchema OutputSize() => new()
    {
        Description = "one integer ≥ 1 for every axis, or a list of spatialDims entries in axis order (L; H, W; D, H, W); " +
                      "adaptive pooling in 2-D and 3-D: an entry may be null (keep that axis's input size)",
        OneOf =
        [
            new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
            new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Minimum = "1" }, MinItems = 1, MaxItems = 3 },
        ],
    };

    public static OpenApiSchema Ratio() => new()
    {
        Description = "one number in (0, 1) for every axis, or a list of spatialDims numbers in axis order",
        OneOf =
        [
            new OpenApiSchema { Type = JsonSchemaType.Number, ExclusiveMinimum = "0", ExclusiveMaximum = "1" },
            new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.Number, ExclusiveMinimum = "0", ExclusiveMaximum = "1" }, MinItems = 1, MaxItems = 3 },
        ],
    };
}
