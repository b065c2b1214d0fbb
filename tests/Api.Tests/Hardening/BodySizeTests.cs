using System.Net;
using System.Text;
using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Hardening;

/// <summary>
/// Bodies over Limits:MaxRequestBodyBytes (4000 here) get 413 problem+json whether announced by Content-Length or
/// streamed chunked. Kestrel enforces the limit, so this host runs on real Kestrel rather than the test server.
/// </summary>
public sealed class BodySizeTests : IClassFixture<BodySizeTests.KestrelFactory>
{
    private readonly HttpClient _client;

    public BodySizeTests(KestrelFactory factory) => _client = factory.CreateClient();

    private static readonly string Oversized = $$"""{"input": {{LimitTests.Zeros(50, 50)}}, "kernel": [[1]]}""";

    [Fact]
    public async Task ABodyAnnouncedOverTheLimitIsTooLarge()
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Oversized));
        content.Headers.ContentType = new("application/json");

        using var response = await _client.PostAsync(Routes.ConvForward, content);

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("limit of 4000 bytes", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AChunkedBodyOverTheLimitIsTooLarge()
    {
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(Oversized)));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, Routes.ConvForward) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await _client.SendAsync(request);

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("limit of 4000 bytes", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ABodyWithinTheLimitIsComputed()
    {
        using var response = await _client.PostAsync(Routes.ConvForward, Requests.Body($$"""{"input": {{Requests.SeedImage}}, "kernel": {{Requests.SeedKernel}} }"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>
    /// Bound through Kestrel's own options, not <c>UseKestrel(port)</c>: that overload rewrites the server's addresses
    /// after the app has started Kestrel on its own thread, and failed one CI run when Kestrel bound first
    /// ("IServerAddressesFeature.Addresses cannot be modified after the server has started"; dotnet/aspnetcore#67714).
    /// </summary>
    public sealed class KestrelFactory : LimitedApiFactory
    {
        public KestrelFactory() => UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }
}
