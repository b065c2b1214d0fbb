using System.Text.Json;
using ConvService.Api.Contracts;
using ConvService.Api.Hosting;
using ConvService.Domain.Geometry;
using ConvService.Domain.Pooling;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Json;

/// <summary>The JSON settings of the wire: the tensor and option converters and strict scalars.</summary>
public static class WireJson
{
    /// <summary>Deep enough for a rank-5 tensor inside the request object (and the padding list's pairs), and not much deeper.</summary>
    public const int MaxDepth = 8;

    /// <summary>The wire settings for request and response bodies, with the per-tensor element limit of <see cref="ServiceLimits"/>.</summary>
    public static IServiceCollection AddWireJson(this IServiceCollection services)
    {
        services.AddOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>()
            .Configure<IOptions<ServiceLimits>>((options, limits) => Configure(options.SerializerOptions, limits.Value.MaxElementsPerTensor));
        return services;
    }

    public static void Configure(JsonSerializerOptions options, int maxElementsPerTensor = JsonTensorConverter.DefaultMaxElements)
    {
        options.MaxDepth = MaxDepth;
        options.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
        options.Converters.Add(new JsonTensorConverter(maxElementsPerTensor));
        options.Converters.Add(new SpatialConverter());
        options.Converters.Add(new PerAxisConverter());
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
