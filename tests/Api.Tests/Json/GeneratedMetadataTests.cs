using System.Text.Json.Serialization;
using ConvService.Api.Json;
using ConvService.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Tests.Json;

/// <summary>
/// Every request record the JSON body readers bind has metadata generated at compile time, not built by reflection on
/// its first request, which the native build (no reflection-based serializer) could not do at all.
/// </summary>
[Collection(ApiCollection.Name)]
public class GeneratedMetadataTests(ApiFactory factory)
{
    public static TheoryData<string> RequestTypes() =>
        [.. typeof(IJsonBodyRequest<>).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IJsonBodyRequest<>)))
            .Select(t => t.FullName!)];

    [Theory]
    [MemberData(nameof(RequestTypes))]
    public void ARequestRecordsMetadataIsGenerated(string typeName)
    {
        var type = typeof(IJsonBodyRequest<>).Assembly.GetType(typeName)!;
        var options = factory.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;

        var info = options.GetTypeInfo(type);

        Assert.IsAssignableFrom<JsonSerializerContext>(info.OriginatingResolver);
        // Named as on the wire (camelCase), with the extension data that reports unknown fields.
        Assert.NotEmpty(info.Properties);
        Assert.All(info.Properties, p => Assert.True(char.IsLower(p.Name[0]), $"{type.Name}.{p.Name} is not named as the wire names it"));
        Assert.Contains(info.Properties, p => p.IsExtensionData);
    }
}
