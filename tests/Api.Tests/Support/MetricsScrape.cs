using System.Text.RegularExpressions;

namespace ConvService.Api.Tests.Support;

/// <summary>
/// Scrapes /metrics until it shows what a test counted. The Prometheus exporter answers a scrape from its cache for
/// 300 ms (its default, which the service keeps: /metrics is open to all), so a scrape right after another test's
/// scrape of the same host shows the counts of that moment.
/// </summary>
public static class MetricsScrape
{
    /// <summary>The first scrape in which every pattern matches, or the last one after 3 s (which the caller's asserts then fail on).</summary>
    public static async Task<string> UntilMatchesAsync(HttpClient client, params string[] patterns)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        while (true)
        {
            var metrics = await client.GetStringAsync("/metrics");
            if (patterns.All(p => Regex.IsMatch(metrics, p)) || DateTime.UtcNow > deadline)
                return metrics;
            await Task.Delay(100);
        }
    }
}
