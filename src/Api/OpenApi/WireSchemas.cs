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

    public static OpenApiSchema ConvPadding() => new()
    {
        Description = "an integer ≥ 0, [height, width], \"same\" or \"valid\"",
        OneOf =
        [
            new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" },
            new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" }, MinItems = 2, MaxItems = 2 },
            new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("same"), JsonValue.Create("valid")] },
        ],
    };

    public static OpenApiSchema Enum<TEnum>() where TEnum : struct, System.Enum => new()
    {
        Type = JsonSchemaType.String,
        Enum = [.. WireNames<TEnum>.Names.Select(name => (JsonNode)JsonValue.Create(name))],
    };
}
