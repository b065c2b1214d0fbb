using System.Net;
using ConvService.Api.Access;
using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ConvService.Api.Tests.Access;

/// <summary>
/// The pages carry a Content-Security-Policy that allows only the app's own scripts, styles and API; every answer,
/// errors included, carries nosniff and a Referrer-Policy; CORS answers nothing unless origins are configured.
/// </summary>
[Collection(ApiCollection.Name)]
public class PageSecurityTests(ApiFactory factory)
{
    [Theory]
    [InlineData("/swagger/index.html")]
    [InlineData("/swagger/index.js")]
    public async Task SwaggerUiIsServedUnderTheContentSecurityPolicy(string path)
    {
        using var response = await factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(PageSecurity.ContentSecurityPolicy, policy);
        Assert.Contains("script-src 'self'", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.Contains("connect-src 'self'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
    }

    [Theory]
    [InlineData(Routes.Playground)]
    [InlineData("/playground/playground.js")]
    [InlineData("/playground/playground.css")]
    public async Task ThePlaygroundIsServedUnderThePolicy(string path)
    {
        using var response = await factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(PageSecurity.ContentSecurityPolicy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
    }

    [Theory]
    [InlineData("GET", Routes.HealthLive, HttpStatusCode.OK)]
    [InlineData("POST", Routes.ConvForward, HttpStatusCode.OK)]
    [InlineData("POST", Routes.ConvBackward, HttpStatusCode.BadRequest)]
    [InlineData("GET", "/no/such/route", HttpStatusCode.NotFound)]
    public async Task EveryAnswerSaysNosniffAndNoReferrer(string method, string path, HttpStatusCode status)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
            request.Content = Requests.Body(path == Routes.ConvForward ? Clients.Seed : "{}");
        using var response = await factory.CreateClient().SendAsync(request);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.False(response.Headers.Contains("Content-Security-Policy"), $"{path} is not a page");
    }

    [Fact]
    public async Task WithoutConfiguredOriginsCorsAllowsNoOrigin()
    {
        var request = new HttpRequestMessage(HttpMethod.Options, Routes.ConvForward);
        request.Headers.Add("Origin", "https://elsewhere.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        using var response = await factory.CreateClient().SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }
}

/// <summary>With <c>Cors:Origins</c> configured, those origins (and no other) may call the API from a browser.</summary>
public class CorsTests(CorsTests.CorsApiFactory factory) : IClassFixture<CorsTests.CorsApiFactory>
{
    [Theory]
    [InlineData("https://class.example", true)]
    [InlineData("https://elsewhere.example", false)]
    public async Task OnlyAConfiguredOriginIsAllowed(string origin, bool allowed)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, Routes.ConvForward);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,x-api-key");
        using var response = await factory.CreateClient().SendAsync(request);

        Assert.Equal(allowed, response.Headers.TryGetValues("Access-Control-Allow-Origin", out var origins) && origins.Single() == origin);
    }

    public sealed class CorsApiFactory : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder) =>
            builder.UseEnvironment("Testing").UseSetting("Serilog:MinimumLevel:Default", "Warning")
                .UseSetting("Cors:Origins:0", "https://class.example");
    }
}
