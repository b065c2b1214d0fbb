using System.Collections.Concurrent;
using ConvService.Api.Tests.Support;
using Microsoft.Playwright;

namespace ConvService.Api.Tests.Browser;

/// <summary>
/// The app on Kestrel plus headless Debian Chromium (fresh profile) driven by Playwright, both started on the first
/// <see cref="OpenSwaggerAsync"/> so that a class whose tests are all skipped starts nothing.
/// </summary>
public sealed class SwaggerUiSession : IAsyncLifetime
{
    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly KestrelApiFactory api = new();
    private string? profile;
    private IPlaywright? playwright;
    private IBrowserContext? browser;

    /// <summary>What the browser's console said the Content-Security-Policy blocked, in every tab so far.</summary>
    public ConcurrentQueue<string> PolicyViolations { get; } = new();

    /// <summary>The Content-Security-Policy header of the last page loaded.</summary>
    public string? DocumentPolicy { get; private set; }

    /// <summary>A new tab showing Swagger UI with its operations rendered.</summary>
    public Task<IPage> OpenSwaggerAsync() => OpenAsync("/swagger", ".opblock");

    /// <summary>A new tab showing the app's page at <paramref name="path"/>, once <paramref name="readySelector"/> is on it.</summary>
    public async Task<IPage> OpenAsync(string path, string readySelector)
    {
        browser ??= await LaunchAsync();
        var page = await browser.NewPageAsync();
        // Chromium reports each thing a Content-Security-Policy blocks on the console.
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                PolicyViolations.Enqueue(message.Text);
        };
        var document = await page.GotoAsync(new Uri(api.Address, path).ToString());
        DocumentPolicy = document is null ? null : await document.HeaderValueAsync("content-security-policy");
        await page.Locator(readySelector).First.WaitForAsync();
        return page;
    }

    private async Task<IBrowserContext> LaunchAsync()
    {
        profile = Directory.CreateTempSubdirectory("convservice-chromium-").FullName;
        playwright = await Playwright.CreateAsync();
        return await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ChromiumFactAttribute.ExecutablePath,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 60_000,
        });
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (browser is not null)
            await browser.CloseAsync();
        playwright?.Dispose();
        await api.DisposeAsync();
        if (profile is not null)
            Directory.Delete(profile, recursive: true);
    }
}
