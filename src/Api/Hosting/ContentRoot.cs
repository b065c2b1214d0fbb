namespace ConvService.Api.Hosting;

/// <summary>
/// Where the service reads appsettings.json: its own folder, so that <c>dotnet /app/ConvService.Api.dll</c> started from
/// any working directory runs with the settings it ships with, unless <c>--contentRoot</c>,
/// <c>ASPNETCORE_CONTENTROOT</c> or <c>DOTNET_CONTENTROOT</c> names another folder.
/// </summary>
public static class ContentRoot
{
    public static WebApplicationOptions Options(string[] args)
    {
        var named = new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(args)
            .Build()[HostDefaults.ContentRootKey];
        return new WebApplicationOptions { Args = args, ContentRootPath = named is null ? AppContext.BaseDirectory : null };
    }
}
