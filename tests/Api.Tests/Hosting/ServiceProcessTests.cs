using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Hosting;

/// <summary>
/// The service as its own process, started as the container starts it (<c>dotnet ConvService.Api.dll</c>) but from
/// another working directory: it reads the settings beside it, and answers its own <c>--probe URL</c> healthcheck; and
/// as <c>dotnet run</c> starts it, in Development, where it serves the playground from the project folder.
/// </summary>
public sealed partial class ServiceProcessTests(ServiceProcessTests.RunningService service) : IClassFixture<ServiceProcessTests.RunningService>
{
    [Fact]
    public async Task StartedFromAnotherFolderItReadsTheSettingsBesideItsDll()
    {
        using var client = new HttpClient { BaseAddress = service.Address };

        using var response = await client.PostAsync(Routes.ConvForward, Requests.Body($$"""{"input": {{Requests.SeedImage}}, "kernel": {{Requests.SeedKernel}} }"""));

        // appsettings.ContentRootCheck.json, beside the dll only, lowers the per-tensor limit to 20; the seed image has 25.
        await ProblemAssert.NamesField(response, "input", "the limit per tensor is 20");
    }

    [Fact]
    public async Task ProbingALiveServiceExitsZero()
    {
        var (exitCode, output) = await RunningService.RunAsync("--probe", new Uri(service.Address, Routes.HealthLive).ToString());

        Assert.True(exitCode == 0, $"exit {exitCode}: {output}");
        Assert.Contains("answered 200", output);
    }

    [Theory]
    [InlineData("/health/nowhere", "answered 404")]
    [InlineData(null, "did not answer")]
    public async Task ProbingAnAnswerThatIsNotHealthyExitsOne(string? path, string said)
    {
        // null: a port nothing listens on
        var url = path is null ? $"http://127.0.0.1:{FreePort()}/health/live" : new Uri(service.Address, path).ToString();

        var (exitCode, output) = await RunningService.RunAsync("--probe", url);

        Assert.True(exitCode == 1, $"exit {exitCode}: {output}");
        Assert.Contains(said, output);
    }

    [Fact]
    public async Task InDevelopmentItServesThePlaygroundFromTheProjectFolder()
    {
        // As `dotnet run` starts it: wwwroot is not beside the dll but in the project, which the build's static web
        // assets manifest names (the full WebApplication builder read it in Development; the slim one needs telling).
        var (process, address) = await RunningService.StartAsync("Development");
        try
        {
            using var client = new HttpClient { BaseAddress = address };

            using var response = await client.GetAsync(Routes.Playground);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary><c>dotnet ConvService.Api.dll</c> from the test's output folder, its working directory a fresh temp folder.</summary>
    public sealed partial class RunningService : IAsyncLifetime
    {
        private const string Environment = "ContentRootCheck";

        private static readonly string AppDll = Path.Combine(AppContext.BaseDirectory, "ConvService.Api.dll");

        private static readonly string Elsewhere = Directory.CreateTempSubdirectory("convservice-cwd-").FullName;
        private Process? _process;

        public Uri Address { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, $"appsettings.{Environment}.json"), """{"Limits": {"MaxElementsPerTensor": 20}}""");
            (_process, Address) = await StartAsync(Environment);
        }

        /// <summary>Starts the app's dll in <paramref name="environment"/> and waits for the address its first log line gives.</summary>
        public static async Task<(Process Process, Uri Address)> StartAsync(string environment)
        {
            var process = Process.Start(Dotnet(AppDll, environment))!;
            var listening = new TaskCompletionSource<Uri>();
            process.OutputDataReceived += (_, line) =>
            {
                if (line.Data is not null && ListeningUrl().Match(line.Data) is { Success: true } match)
                    listening.TrySetResult(new Uri(match.Value));
            };
            process.BeginOutputReadLine();
            return (process, await listening.Task.WaitAsync(TimeSpan.FromSeconds(60)));
        }

        public Task DisposeAsync()
        {
            _process?.Kill(entireProcessTree: true);
            _process?.WaitForExit(10_000);
            _process?.Dispose();
            Directory.Delete(Elsewhere, recursive: true);
            return Task.CompletedTask;
        }

        /// <summary>Runs the app's dll with <paramref name="args"/> to its end: the exit code and what it printed.</summary>
        public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
        {
            using var process = Process.Start(Dotnet(AppDll, Environment, args))!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            try
            {
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException)
            {
                // A dll that does not know --probe starts the service instead: stop it, then fail.
                process.Kill(entireProcessTree: true);
                throw;
            }
            return (process.ExitCode, await output + await error);
        }

        private static ProcessStartInfo Dotnet(string dll, string environment, params string[] args)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Elsewhere };
            start.ArgumentList.Add(dll);
            foreach (var arg in args)
                start.ArgumentList.Add(arg);
            start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
            start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
            start.Environment.Remove("ASPNETCORE_CONTENTROOT");
            start.Environment.Remove("DOTNET_CONTENTROOT");
            return start;
        }

        [GeneratedRegex(@"http://127\.0\.0\.1:\d+")]
        private static partial Regex ListeningUrl();
    }
}
