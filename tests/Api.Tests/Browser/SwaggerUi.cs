using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ConvService.Api.Tests.Browser;

/// <summary>What a person does in Swagger UI: expand an operation, press Try it out, then Execute, and read the answer.</summary>
public static partial class SwaggerUi
{
    /// <summary>
    /// Runs the prefilled example of POST <paramref name="path"/> and returns the response body. An operation documented
    /// with a template (/pool/{mode}) is found too, and its path parameters are filled from <paramref name="path"/>.
    /// </summary>
    public static async Task<JsonElement> ExecuteExampleAsync(IPage page, string path)
    {
        var template = await FindOperationPathAsync(page, path);
        var operation = page.Locator($".opblock-post:has(.opblock-summary-path[data-path='{template}'])").First;
        await operation.Locator(".opblock-summary-control").ClickAsync();
        await operation.GetByRole(AriaRole.Button, new() { Name = "Try it out" }).ClickAsync();
        await FillPathParametersAsync(operation, template, path);
        await operation.GetByRole(AriaRole.Button, new() { Name = "Execute", Exact = true }).ClickAsync();

        var responses = operation.Locator(".live-responses-table");
        var body = responses.Locator(".response-col_description .highlight-code pre").First;
        await body.WaitForAsync();
        var status = (await responses.Locator("tbody .response-col_status").First.InnerTextAsync()).Trim();
        var text = await body.InnerTextAsync();
        Assert.True(status == "200", $"Swagger UI showed HTTP {status} for POST {path}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<string> FindOperationPathAsync(IPage page, string path)
    {
        var documented = await page.Locator(".opblock-post .opblock-summary-path")
            .EvaluateAllAsync<string[]>("elements => elements.map(e => e.dataset.path)");
        return documented.FirstOrDefault(p => p == path)
            ?? documented.FirstOrDefault(p => Matches(p, path))
            ?? throw new Xunit.Sdk.XunitException($"Swagger UI shows no POST {path}; it shows {string.Join(", ", documented)}");
    }

    private static async Task FillPathParametersAsync(ILocator operation, string template, string path)
    {
        var names = template.Split('/');
        var values = path.Split('/');
        for (var i = 0; i < names.Length; i++)
        {
            if (!names[i].StartsWith('{'))
                continue;
            var row = operation.Locator($"tr[data-param-name='{names[i].Trim('{', '}')}']");
            if (await row.Locator("select").CountAsync() > 0)
                await row.Locator("select").SelectOptionAsync(values[i]);
            else
                await row.Locator("input").FillAsync(values[i]);
        }
    }

    private static bool Matches(string template, string path) =>
        Regex.IsMatch(path, "^" + TemplateParameter().Replace(Regex.Escape(template), "[^/]+") + "$");

    [GeneratedRegex(@"\\\{[^/]+?}")]
    private static partial Regex TemplateParameter();
}
