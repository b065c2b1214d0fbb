namespace ConvService.Api.Tests.Browser;

/// <summary>
/// A fact that needs Debian's Chromium: skipped, saying how to install it, where <see cref="ExecutablePath"/> is missing,
/// so that <c>dotnet test</c> passes on a fresh machine. Playwright's own browser downloads are never used.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(ExecutablePath))
            Skip = $"needs Chromium at {ExecutablePath}: install it with `sudo apt-get update && sudo apt-get install -y chromium` (.ci/run does this)";
    }
}
