using System.Text.Json.Nodes;
using ConvService.Api.Json;
using Microsoft.OpenApi;

namespace ConvService.Api.OpenApi;

/// <summary>OpenAPI schemas for the wire types whose JSON the converters define by hand.</summary>
public static class WireSchemas
{
    public static OpenApiSchema Tensor(string description) => new()
    {
        Description = description,
        OneOf =
        [
            new OpenApiSchema { Type = JsonSchemaType.Array, Description = "nested arrays, rectangular", Items = new OpenApiSchema() },
            new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "flat, row-major",
                Required = new HashSet<string> { "shape", "data" },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["shape"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" } },
                    ["data"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema() },
                },
            },
        ],
    };

    public static OpenApiSchema Pair() => new()
    {
        Description = "one integer for both axes, or [height, width]",
        OneOf =
        [
            new OpenApiSchema { Type = JsonSchemaType.Integer },
            new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.Integer }, MinItems = 2, MaxItems = 2 },
        ],
    };

    /// <summary>A per-axis integer option: one integer for every axis, or a list of d (spatialDims) integers.</summary>
    public static OpenApiSchema PerAxis() => new()
    {
        Description = "one integer for every axis, or a list of spatialDims integers in axis order (L; H, W; D, H, W)",
        OneOf =
        [
            new OpenApiSchema { Type = JsonSchemaType.Integer },
            new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.Integer }, MinItems = 1, MaxItems = 3 },
        ],
    };

    public static OpenApiSchema ConvPadding() => new()
    {
        Description = "an integer ≥ 0 for both ends of every axis; a list of spatialDims entries, each an integer ≥ 0 or a [begin, end] pair " +
                      "([[1, 2]] in 1-D); \"valid\"; \"same\" (stride 1); \"same-upper\" or \"same-lower\" (any stride: output ceil(I / stride))",
        OneOf =
        [
            new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" },
            new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                MinItems = 1,
                MaxItems = 3,
                Items = new OpenApiSchema
                {
                    OneOf =
                    [
                        new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" },
                        new OpenApiSchema { Type = JsonSchemaType.Array, Description = "[begin, end]", Items = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" }, MinItems = 2, MaxItems = 2 },
                    ],
                },
            },
            new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("valid"), JsonValue.Create("same"), JsonValue.Create("same-upper"), JsonValue.Create("same-lower")] },
        ],
    };

    public static OpenApiSchema Enum<TEnum>() where TEnum : struct, System.Enum => new()
    {
        Type = JsonSchemaType.String,
        Enum = [.. WireEnumConverter<TEnum>.Names.Select(name => (JsonNode)JsonValue.Create(name))],
    };
}
