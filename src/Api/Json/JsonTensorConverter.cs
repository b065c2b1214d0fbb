using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvService.Api.Json;

/// <summary>
/// Reads a tensor inside an already buffered JSON value (System.Text.Json's own deserialization), token by token
/// through <see cref="TensorTokenParser"/>; request bodies stream through <see cref="JsonBody"/> instead.
/// </summary>
public sealed class JsonTensorConverter(int maxElements = JsonTensorConverter.DefaultMaxElements) : JsonConverter<JsonTensor>
{
    public const int DefaultMaxElements = 16 * 1024 * 1024;

    public int MaxElements => maxElements;

    public override JsonTensor Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var parser = new TensorTokenParser(maxElements);
        try
        {
            if (!parser.Start(ref reader))
                throw new WireFormatException("the tensor ends before its closing bracket");
            return parser.Finish();
        }
        catch
        {
            parser.Release();
            throw;
        }
    }

    public override void Write(Utf8JsonWriter writer, JsonTensor value, JsonSerializerOptions options) =>
        TensorWriter.Write(writer, value.Shape, value.Data, value.Form);

    internal static string Describe(JsonTokenType token) => TensorTokenParser.Describe(token);
}
