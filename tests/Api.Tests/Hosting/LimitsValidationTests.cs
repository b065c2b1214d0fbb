using ConvService.Api.Tests.Support;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Tests.Hosting;

/// <summary>
/// A limit outside its [Range] stops the service at start-up with the limit's name, rather than running with it. The
/// rules are checked by the options source generator's code (Hosting/Limits.cs), so these pin that it is wired in.
/// </summary>
public class LimitsValidationTests
{
    [Theory]
    [InlineData("MaxWork", "0", "MaxWork")]
    [InlineData("MaxElementsPerTensor", "-5", "MaxElementsPerTensor")]
    [InlineData("RequestBodyGracePeriod", "00:00:00.5", "RequestBodyGracePeriod")]
    [InlineData("MaxExplainTerms", "10000001", "MaxExplainTerms")]
    public void ALimitOutsideItsRange_StopsTheServiceAtStartUp_NamingIt(string limit, string value, string named)
    {
        using var factory = new ApiFactory().WithWebHostBuilder(builder => builder.UseSetting($"Limits:{limit}", value));

        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var options = Assert.IsType<OptionsValidationException>(Unwrap(failure));
        Assert.Contains(named, options.Message);
    }

    [Fact]
    public void TheDefaultLimits_PassTheirRules()
    {
        using var factory = new ApiFactory();

        using var client = factory.CreateClient();

        Assert.NotNull(client);
    }

    private static Exception Unwrap(Exception failure)
    {
        while (failure is AggregateException { InnerException: { } inner })
            failure = inner;
        return failure;
    }
}
