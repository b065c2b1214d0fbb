using System.Net;
using System.Text.Json;
using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Convolution;

/// <summary>The OpenAPI document shows the new fields with their ranges, and every request example it offers runs.</summary>
[Collection(ApiCollection.Name)]
public class ConvExamplesTests(ApiFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    public static TheoryData<string, string> Examples => new()
    {
        { Routes.ConvForward, "seed" },
        { Routes.ConvForward, "1-D" },
        { Routes.ConvForward, "3-D" },
        { Routes.ConvForward, "asymmetric" },
        { Routes.ConvBackward, "seed" },
        { Routes.ConvBackward, "1-D" },
        { Routes.ConvBackward, "3-D" },
        { Routes.ConvTranspose, "1-D" },
        { Routes.ConvTranspose, "2-D" },
        { Routes.ConvTranspose, "3-D" },
        { Routes.ConvTransposeBackward, "2-D" },
        { Routes.ConvTransposeBackward, "3-D" },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task EachDocumentedExampleRunsAndAnswers200(string route, string name)
    {
        using var document = JsonDocument.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"));
        var example = document.RootElement.GetProperty("paths").GetProperty(route).GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("examples").GetProperty(name);
        Assert.False(string.IsNullOrEmpty(example.GetProperty("summary").GetString()));

        using var response = await _client.PostAsync(route, Requests.Body(example.GetProperty("value").GetRawText()));

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{route} example {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [InlineData("ConvForwardRequest", "spatialDims", 1, 3)]
    [InlineData("ConvTransposeForwardRequest", "spatialDims", 1, 3)]
    [InlineData("ConvTransposeBackwardRequest", "groups", 1, int.MaxValue)]
    public async Task TheSchemaStatesEachNewFieldsRange(string schema, string field, int minimum, int maximum)
    {
        using var document = JsonDocument.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"));
        var property = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(schema).GetProperty("properties").GetProperty(field);

        Assert.Equal(minimum, property.GetProperty("minimum").GetInt32());
        Assert.Equal(maximum, property.GetProperty("maximum").GetInt32());
    }

    [Theory]
    [InlineData("ConvTransposeForwardRequest", "outputSize", "[min, min + stride − 1]")]
    [InlineData("ConvTransposeForwardRequest", "outputPadding", "smaller than that axis's stride or its dilation")]
    [InlineData("ConvForwardRequest", "padding", "same-lower")]
    public async Task TheSchemaDescribesEachNewField(string schema, string field, string fragment)
    {
        using var document = JsonDocument.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"));
        var property = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(schema).GetProperty("properties").GetProperty(field);

        Assert.Contains(fragment, property.ToString(), StringComparison.Ordinal);
    }
}
