using System.Text.Json;
using System.Text.Json.Serialization;
using ConvService.Api.Contracts;
using ConvService.Api.Contracts.Learn;
using ConvService.Api.Inference;

namespace ConvService.Api.Json;

/// <summary>
/// Serialization metadata generated at compile time for every record the wire binds or writes through System.Text.Json:
/// the requests' small fields (the body readers take their tensors) and the answers that are not streamed tensors.
/// The native build (scripts/publish-native.sh) has no reflection-based serializer, so it needs this; under the JIT it
/// saves little (the first seed request still compiles System.Text.Json's generic instantiations over these types).
/// <see cref="WireJson"/> puts it ahead of the reflection resolver, which stays behind it for anything not listed here.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ConvForwardRequest))]
[JsonSerializable(typeof(ConvBackwardRequest))]
[JsonSerializable(typeof(ConvTransposeForwardRequest))]
[JsonSerializable(typeof(ConvTransposeBackwardRequest))]
[JsonSerializable(typeof(PoolForwardRequest))]
[JsonSerializable(typeof(PoolBackwardRequest))]
[JsonSerializable(typeof(ConvExplainRequest))]
[JsonSerializable(typeof(ConvBackwardExplainRequest))]
[JsonSerializable(typeof(ConvTransposeExplainRequest))]
[JsonSerializable(typeof(ConvTransposeBackwardExplainRequest))]
[JsonSerializable(typeof(PoolExplainRequest))]
[JsonSerializable(typeof(PoolBackwardExplainRequest))]
[JsonSerializable(typeof(ShapeRequest))]
[JsonSerializable(typeof(CheckRequest))]
[JsonSerializable(typeof(SumExplanation))]
[JsonSerializable(typeof(PoolExplanationResponse))]
[JsonSerializable(typeof(PoolGradientResponse))]
[JsonSerializable(typeof(ShapeResponse))]
[JsonSerializable(typeof(CheckResponse))]
[JsonSerializable(typeof(ServerMetadata))]
[JsonSerializable(typeof(LiveResponse))]
[JsonSerializable(typeof(ReadyResponse))]
[JsonSerializable(typeof(ModelReadyResponse))]
[JsonSerializable(typeof(ModelMetadata))]
[JsonSerializable(typeof(InferenceError))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(int?))]
[JsonSerializable(typeof(double))]
internal sealed partial class WireJsonContext : JsonSerializerContext;
