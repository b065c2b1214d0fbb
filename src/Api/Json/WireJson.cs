using System.Text.Json;
using ConvService.Api.Contracts;
using ConvService.Domain.Geometry;
using ConvService.Domain.Pooling;

namespace ConvService.Api.Json;

/// <summary>The JSON settings of the wire: the tensor and option converters and strict scalars.</summary>
public static class WireJson
{
    /// <summary>Deep enough for a rank-4 tensor inside the request object, and no deeper.</summary>
    public const int MaxDepth = 8;

    public static IServiceCollection AddWireJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(options => Configure(options.SerializerOptions));

    public static void Configure(JsonSerializerOptions options)
    {
        options.MaxDepth = MaxDepth;
        options.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
        options.Converters.Add(new JsonTensorConverter());
        options.Converters.Add(new SpatialConverter());
        options.Converters.Add(new ConvPaddingConverter());
        options.Converters.Add(new WireEnumConverter<PaddingMode>());
        options.Converters.Add(new WireEnumConverter<DType>());
        options.Converters.Add(new WireEnumConverter<PoolMode>());
        options.Converters.Add(new PoolOutputSizeConverter());
        options.Converters.Add(new PoolRatioConverter());
        options.Converters.Add(new StrictInt32Converter());
        options.Converters.Add(new StrictInt64Converter());
        options.Converters.Add(new StrictDoubleConverter());
        options.Converters.Add(new StrictBooleanConverter());
    }
}
