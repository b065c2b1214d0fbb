using ConvService.Api.Access;
using ConvService.Api.Endpoints;
using Microsoft.Playwright;

namespace ConvService.Api.Tests.Browser;

/// <summary>
/// A learner at the playground, in Debian's Chromium against the app on a real socket: clicking the seed's 109 writes
/// its sum, clicking gradInput[1][1] writes 17, a wrong answer marks its cell; the page fits a laptop and a phone, its
/// cells work from the keyboard, and it links to Swagger UI and back. The laptop screenshot is the README's.
/// </summary>
public sealed class PlaygroundTests(SwaggerUiSession session) : IClassFixture<SwaggerUiSession>
{
    private const string Ready = "body[data-ready='true']";

    [ChromiumFact]
    public async Task ClickingTheSeedsFirstOutputCellWritesItsSumAndLightsUpItsWindow()
    {
        var page = await OpenAsync(1280, 800);

        await page.Locator("#conv-output [data-index='0,0']").ClickAsync();

        var sum = page.Locator("#conv-explain .sum");
        await Assertions.Expect(sum).ToHaveTextAsync("4·4 + 5·3 + 2·3 + 3·5 + 3·5 + 2·5 + 4·2 + 3·4 + 4·3 = 109");
        Assert.Equal(9, await page.Locator("#conv-input .cell.window").CountAsync());
        Assert.Equal("·4", await page.Locator("#conv-input .cell[data-r='0'][data-c='0'] .w").InnerTextAsync());
        Assert.Equal("·3", await page.Locator("#conv-input .cell[data-r='2'][data-c='2'] .w").InnerTextAsync());
        Assert.Equal(9, await page.Locator("#conv-kernel .cell.window").CountAsync());
        await SaveScreenshotAsync(page, "playground.png");
        await page.CloseAsync();
    }

    [ChromiumFact]
    public async Task WithPaddingThePaddedCellsLightUpWithTheZerosTheyHold()
    {
        var page = await OpenAsync(1280, 800);
        await page.Locator("#conv-options input[name='padding']").FillAsync("1");
        await Assertions.Expect(page.Locator("#conv-output .cell")).ToHaveCountAsync(25);

        await page.Locator("#conv-output [data-index='0,0']").ClickAsync();

        await Assertions.Expect(page.Locator("#conv-explain .sum")).ToHaveTextAsync("[0]·4 + [0]·3 + [0]·3 + [0]·5 + 4·5 + 5·5 + [0]·2 + 3·4 + 3·3 = 66");
        Assert.Equal(5, await page.Locator("#conv-input .cell.pad.window").CountAsync());
        await page.CloseAsync();
    }

    [ChromiumFact]
    public async Task ClickingGradInput11WritesSeventeenFromFourOutputCells()
    {
        var page = await OpenAsync(1280, 800);
        await page.Locator("#tab-grad").ClickAsync();

        await page.Locator("#grad-input [data-index='1,1']").ClickAsync();

        await Assertions.Expect(page.Locator("#grad-explain .sum")).ToHaveTextAsync("1·5 + 1·5 + 1·3 + 1·4 = 17");
        Assert.Equal(4, await page.Locator("#grad-output .cell.contributor").CountAsync());
        await SaveScreenshotAsync(page, "playground-gradient.png");
        await page.CloseAsync();
    }

    [ChromiumFact]
    public async Task APoolingCellShowsItsWindowAndItsWinner()
    {
        var page = await OpenAsync(1280, 800);
        await page.Locator("#tab-pool").ClickAsync();

        await page.Locator("#pool-output [data-index='1,0']").ClickAsync();

        await Assertions.Expect(page.Locator("#pool-explain .sum")).ToHaveTextAsync("max(108, 85, 110, 74) = 110");
        Assert.Equal("110", await page.Locator("#pool-input .cell.winner input").InputValueAsync());
        await page.CloseAsync();
    }

    [ChromiumFact]
    public async Task AWrongAnswerTurnsItsCellRedWithItsExplanation()
    {
        var page = await OpenAsync(1280, 800);
        await page.Locator("#tab-check").ClickAsync();

        await page.Locator("#check-run").ClickAsync();

        var wrong = page.Locator("#check-answer .cell.wrong");
        await Assertions.Expect(wrong).ToHaveCountAsync(1);
        Assert.Equal(("0", "0"), (await wrong.GetAttributeAsync("data-r"), await wrong.GetAttributeAsync("data-c")));
        Assert.Equal("true", await wrong.GetAttributeAsync("aria-invalid"));
        await Assertions.Expect(page.Locator("#check-explain")).ToContainTextAsync("you wrote 105, the answer is 109");
        await Assertions.Expect(page.Locator("#check-explain")).ToContainTextAsync("4·4 + 5·3 + 2·3 + 3·5 + 3·5 + 2·5 + 4·2 + 3·4 + 4·3 = 109");
        await SaveScreenshotAsync(page, "playground-check.png");
        await page.CloseAsync();
    }

    [ChromiumFact]
    public async Task CellsWorkFromTheKeyboard()
    {
        var page = await OpenAsync(1280, 800);
        await page.Locator("#conv-output [data-index='0,0']").FocusAsync();

        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("ArrowRight");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator("#conv-explain .sum")).ToContainTextAsync("= 85");
        Assert.Equal("1,1", await page.EvaluateAsync<string>("document.activeElement.dataset.index"));
        await page.CloseAsync();
    }

    [ChromiumFact]
    public async Task ThePageFitsAPhonesWidth()
    {
        var page = await OpenAsync(390, 844);

        await page.Locator("#conv-output [data-index='0,0']").ClickAsync();

        await Assertions.Expect(page.Locator("#conv-explain .sum")).ToContainTextAsync("= 109");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways at 390 px");
        await SaveScreenshotAsync(page, "playground-phone.png");
        await page.CloseAsync();
    }

    [ChromiumFact]
    public async Task SwaggerLinksToThePlaygroundAndThePlaygroundToSwagger()
    {
        var swagger = await session.OpenSwaggerAsync();
        await Assertions.Expect(swagger.Locator(".info a[href='/playground']")).ToHaveCountAsync(1);
        await swagger.CloseAsync();
        var page = await OpenAsync(1280, 800);

        await page.Locator("header a[href='/swagger']").ClickAsync();

        await page.Locator(".opblock").First.WaitForAsync();
        await page.CloseAsync();
    }

    [ChromiumFact]
    public async Task ExecutingTheExplainExampleInSwaggerWritesTheSeedsSum()
    {
        var swagger = await session.OpenSwaggerAsync();

        var answer = await SwaggerUi.ExecuteExampleAsync(swagger, Routes.ConvExplain);

        Assert.Equal("4·4 + 5·3 + 2·3 + 3·5 + 3·5 + 2·5 + 4·2 + 3·4 + 4·3 = 109", answer.GetProperty("text").GetString());
        await swagger.CloseAsync();
    }

    [ChromiumFact]
    public async Task ThePlaygroundWorksUnderItsContentSecurityPolicyWithNothingBlocked()
    {
        var page = await OpenAsync(1280, 800);
        await page.Locator("#conv-output [data-index='0,0']").ClickAsync();
        await Assertions.Expect(page.Locator("#conv-explain .sum")).ToHaveTextAsync("4·4 + 5·3 + 2·3 + 3·5 + 3·5 + 2·5 + 4·2 + 3·4 + 4·3 = 109");
        await page.CloseAsync();

        Assert.Equal(PageSecurity.ContentSecurityPolicy, session.DocumentPolicy);
        Assert.True(session.PolicyViolations.IsEmpty, string.Join("\n", session.PolicyViolations));
    }

    private async Task<IPage> OpenAsync(int width, int height)
    {
        var page = await session.OpenAsync(Routes.Playground, Ready);
        await page.SetViewportSizeAsync(width, height);
        return page;
    }

    /// <summary>Saves a screenshot to the test output; with CONVSERVICE_SCREENSHOTS set (a folder, docs/ for the README), there too.</summary>
    private static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var bytes = await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, name) });
        Assert.True(bytes.Length > 10_000, $"the screenshot {name} holds {bytes.Length} bytes");
        if (Environment.GetEnvironmentVariable("CONVSERVICE_SCREENSHOTS") is { Length: > 0 } folder)
            await File.WriteAllBytesAsync(Path.Combine(folder, name), bytes);
    }
}
