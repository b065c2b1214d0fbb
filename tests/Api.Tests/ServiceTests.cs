using System.Net;
using ConvService.Api.Endpoints;
using ConvService.Api.OpenApi;
using ConvService.Api.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ConvService.Api.Tests;

[Collection(ApiCollection.Name)]
public class ServiceTests(ApiFactory factory)
{
    [Fact]
    public async Task GettingHealthReturnsHealthy()
    {
        using var response = await factory.CreateClient().GetAsync(Routes.Health);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GettingTheRootRedirectsToSwagger()
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(Routes.Swagger, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task GettingAnUnknownRouteReturnsNotFoundProblem()
    {
        using var response = await factory.CreateClient().GetAsync("/conv/sideways");

        await ProblemAssert.IsProblem(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TheOpenApiDocumentPrefillsTheSeedAndDocumentsEveryField()
    {
        var document = await factory.CreateClient().GetStringAsync(ApiDocumentation.DocumentPath);

        Assert.Contains("\"/conv/forward\"", document);
        Assert.Contains("[4,5,2,2,1]", document.Replace(" ", "").Replace("\n", "").Replace("\r", ""));
        foreach (var field in new[] { "input", "kernel", "bias", "stride", "padding", "dilation", "groups", "paddingMode", "dtype" })
            Assert.Contains($"\"{field}\"", document);
        Assert.Contains("\"400\"", document);
        Assert.Contains("\"200\"", document);
    }

    [Fact]
    public async Task SwaggerUiIsServed()
    {
        var page = await factory.CreateClient().GetStringAsync("/swagger/index.html");

        Assert.Contains("swagger-ui", page);
    }
}
