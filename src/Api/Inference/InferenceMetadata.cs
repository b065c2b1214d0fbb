using System.Text.Json.Serialization;

namespace ConvService.Api.Inference;

/// <summary><c>GET /v2</c>: the server's name, version and protocol extensions.</summary>
public sealed record ServerMetadata(string Name, string Version, IReadOnlyList<string> Extensions);

/// <summary><c>GET /v2/health/live</c>.</summary>
public sealed record LiveResponse(bool Live);

/// <summary><c>GET /v2/health/ready</c>.</summary>
public sealed record ReadyResponse(bool Ready);

/// <summary><c>GET /v2/models/{model}/ready</c>.</summary>
public sealed record ModelReadyResponse(string Name, bool Ready);

/// <summary>A tensor of a model's metadata: name, datatype and shape, −1 for a free axis.</summary>
public sealed record TensorMetadata(string Name, string Datatype, IReadOnlyList<int> Shape);

/// <summary>
/// <c>GET /v2/models/{model}</c>: the model's inputs and outputs. Inputs and floating-point outputs are FP32 or FP64
/// alike (the datatype of the request's inputs); the metadata names FP64, the default precision of the JSON routes.
/// </summary>
public sealed record ModelMetadata(
    string Name,
    IReadOnlyList<string> Versions,
    string Platform,
    IReadOnlyList<TensorMetadata> Inputs,
    IReadOnlyList<TensorMetadata> Outputs,
    [property: JsonPropertyName("parameters")] IReadOnlyList<string> Parameters)
{
    public static ModelMetadata Of(InferenceModel model) => new(
        model.Name,
        [InferenceModel.Version],
        "convservice",
        [.. model.Inputs.Select(Describe)],
        [.. model.Outputs.Select(Describe)],
        model.Parameters);

    private static TensorMetadata Describe(ModelTensor tensor) => new(tensor.Name, tensor.Datatype ?? "FP64", tensor.Shape);
}
