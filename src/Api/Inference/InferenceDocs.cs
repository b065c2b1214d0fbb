using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvService.Api.Inference;

/// <summary>What Swagger shows of the front door: the infer body's JSON shape and the binary framing, in prose.</summary>
public static class InferenceDocs
{
    public static string Models => $"The models: {InferenceModels.Names}. Each model's inputs, outputs and parameters are those of the JSON route of the same operator; an unknown model is a 404 listing them.";

    private const string Framing =
        "Tensors travel as JSON (\"data\", flat or nested, row-major) or as binary (Triton's binary tensor extension): the body is a JSON header of " +
        "Inference-Header-Content-Length bytes, then each input whose parameters hold binary_data_size, in the header's order, as raw little-endian " +
        "row-major bytes (FP32: 4 bytes per value, FP64: 8). Any Content-Type is accepted, none included (tritonclient sends none); Content-Encoding " +
        "gzip or deflate is decoded, the decoded size counted against the body limit. Every input has the same datatype, FP32 or FP64, which is the " +
        "precision of the computation. Options are request-level parameters with PyTorch's names (stride, padding, dilation, groups, padding_mode, " +
        "kernel_size, ceil_mode, count_include_pad, divisor_override, norm_type, output_size, output_ratio, seed, return_indices): a number, a boolean, " +
        "a string (\"same\", \"reflect\"), or a string holding a JSON array for per-axis values (\"[2,1]\"). Outputs come back in binary when the " +
        "request's parameters set binary_data_output (tritonclient does when it names no outputs) or an output's parameters set binary_data: then the " +
        "response is application/octet-stream, its JSON header Inference-Header-Content-Length bytes long, and the binary outputs follow in the header's " +
        "order (indices as INT64). Errors are {\"error\": \"…\"}: 400 naming the input or parameter and the numbers, 404 for an unknown model (listing the " +
        "models), 413 over the body limit, 415 for an unknown Content-Encoding, 429 when busy, 504 past the time limit.";

    public static RouteHandlerBuilder WithInferenceDocs(this RouteHandlerBuilder builder) => builder
        .WithSummary("Runs a model: PyTorch's operator on the request's tensors, in JSON or binary")
        .WithDescription(Framing)
        .WithMetadata(new InferenceBodyMetadata())
        .Produces<InferenceResponseDoc>(StatusCodes.Status200OK, "application/json", "application/octet-stream")
        .Produces<InferenceError>(StatusCodes.Status400BadRequest)
        .Produces<InferenceError>(StatusCodes.Status404NotFound)
        .Produces<InferenceError>(StatusCodes.Status413PayloadTooLarge)
        .Produces<InferenceError>(StatusCodes.Status429TooManyRequests)
        .Produces<InferenceError>(StatusCodes.Status504GatewayTimeout);
}

/// <summary>
/// Marks the infer routes, whose body the front door reads itself (any Content-Type, none included): Swagger documents
/// it through <see cref="OpenApi.InferenceBodyOperationFilter"/> rather than through Accepts metadata, which would make
/// routing refuse the requests tritonclient sends without a Content-Type.
/// </summary>
public sealed record InferenceBodyMetadata;

/// <summary>The JSON (header) of an inference request, as the protocol defines it.</summary>
/// <param name="Id">Echoed in the response.</param>
/// <param name="Parameters">The operator's options by PyTorch's names, and binary_data_output.</param>
/// <param name="Inputs">input, weight, bias, grad_output, random_samples as the model takes them.</param>
/// <param name="Outputs">The outputs wanted (all when absent), each optionally with parameters.binary_data.</param>
public sealed record InferenceRequestDoc(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("parameters")] Dictionary<string, JsonElement>? Parameters,
    [property: JsonPropertyName("inputs")] IReadOnlyList<InferenceTensorDoc> Inputs,
    [property: JsonPropertyName("outputs")] IReadOnlyList<InferenceOutputDoc>? Outputs);

/// <summary>An input (or, in a response, an output) tensor: data inline, or binary_data_size in parameters.</summary>
public sealed record InferenceTensorDoc(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("shape")] IReadOnlyList<long> Shape,
    [property: JsonPropertyName("datatype")] string Datatype,
    [property: JsonPropertyName("parameters")] Dictionary<string, JsonElement>? Parameters,
    [property: JsonPropertyName("data")] IReadOnlyList<double>? Data);

/// <summary>An output asked for.</summary>
public sealed record InferenceOutputDoc(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("parameters")] Dictionary<string, JsonElement>? Parameters);

/// <summary>The JSON (header) of an inference response.</summary>
public sealed record InferenceResponseDoc(
    [property: JsonPropertyName("model_name")] string ModelName,
    [property: JsonPropertyName("model_version")] string ModelVersion,
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("outputs")] IReadOnlyList<InferenceTensorDoc> Outputs);
