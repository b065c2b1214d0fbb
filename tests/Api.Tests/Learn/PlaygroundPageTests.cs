using System.Net;
using System.Text.RegularExpressions;
using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Learn;

/// <summary>
/// The playground as files: served by the app, scripts and styles in their own files (a Content-Security-Policy of
/// 'self' will hold), nothing fetched from another host, and Swagger's description links to it.
/// </summary>
[Collection(ApiCollection.Name)]
public partial class PlaygroundPageTests(ApiFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task ThePlaygroundIsAnHtmlPageWhoseScriptAndStylesheetTheAppServes()
    {
        using var page = await _client.GetAsync(Routes.Playground);
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        foreach (var asset in new[] { "/playground/playground.js", "/playground/playground.css" })
        {
            Assert.Contains($"\"{asset}\"", html);
            using var response = await _client.GetAsync(asset);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {asset}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task ThePageHasNoInlineScriptsStylesOrHandlers()
    {
        var html = await _client.GetStringAsync(Routes.Playground);

        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotMatch(StyleAttribute(), html);
        Assert.DoesNotMatch(HandlerAttribute(), html);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(Routes.Playground)]
    [InlineData("/playground/playground.js")]
    [InlineData("/playground/playground.css")]
    public async Task NothingComesFromAnotherHost(string path)
    {
        var text = await _client.GetStringAsync(path);

        Assert.DoesNotMatch(OtherHost(), text);
    }

    [Fact]
    public async Task SwaggersDescriptionLinksToThePlayground()
    {
        var document = await _client.GetStringAsync("/swagger/v1/swagger.json");

        Assert.Contains("[playground](/playground)", document);
    }

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"\sstyle\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex StyleAttribute();

    [GeneratedRegex(@"\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex HandlerAttribute();

    [GeneratedRegex(@"(src|href|url)\s*[=(]\s*[""']?(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex OtherHost();
}
