using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ConvService.Api.Tests.Support;

/// <summary>A host with tiny limits (section "Limits"), so that tests can reach each one with small requests.</summary>
public class LimitedApiFactory : WebApplicationFactory<Program>
{
    protected virtual IReadOnlyDictionary<string, string> Limits => new Dictionary<string, string>
    {
        ["MaxElementsPerTensor"] = "200",
        ["MaxElementsPerRequest"] = "250",
        ["MaxOutputElements"] = "100",
        ["MaxWork"] = "1000",
        ["MaxRequestBodyBytes"] = "4000",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing").UseSetting("Serilog:MinimumLevel:Default", "Warning");
        foreach (var (key, value) in Limits)
            builder.UseSetting($"Limits:{key}", value);
    }
}

/// <summary>One compute slot, no queue and a 500 ms time limit: a big request times out, a second one is turned away.</summary>
public sealed class SlowApiFactory : LimitedApiFactory
{
    protected override IReadOnlyDictionary<string, string> Limits => new Dictionary<string, string>
    {
        ["ConcurrentRequests"] = "1",
        ["QueueLength"] = "0",
        // No cheap lane: the seed request is the small request these tests see turned away beside the busy slot.
        ["CheapWork"] = "0",
        ["RetryAfterSeconds"] = "2",
        ["RequestTimeout"] = "00:00:00.500",
        // Version 1's name of MaxWork, which deployments may still set: BigRequest needs more than the default 2·10¹⁰.
        ["MaxMultiplyAdds"] = "1000000000000",
    };
}

/// <summary>
/// One compute slot, no queue and a 60 s time limit: <see cref="BigRequest"/> holds the slot for seconds, long
/// enough to see what does and does not wait for it.
/// </summary>
public sealed class BusyApiFactory : LimitedApiFactory
{
    protected override IReadOnlyDictionary<string, string> Limits => new Dictionary<string, string>
    {
        ["ConcurrentRequests"] = "1",
        ["QueueLength"] = "0",
        // No cheap lane: the seed request is the small request these tests see turned away beside the busy slot.
        ["CheapWork"] = "0",
        ["RetryAfterSeconds"] = "2",
        ["RequestTimeout"] = "00:01:00",
        ["MaxWork"] = "1000000000000",
    };
}
