using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Json;

/// <summary>The body is parsed as it arrives: any split of its bytes into chunks must give the same answer.</summary>
[Collection(ApiCollection.Name)]
public class StreamingBodyTests(ApiFactory factory)
{
    private const string Body = """
        { "stride" : [1, 1], "input" : {"data": [4,5,2,2,1,3,3,2,2,4,4,3,4,1,1,5,1,4,1,2,5,1,3,1,4], "shape": [1, 1, 5, 5]},
          "dtype": "float64", "kernel": [[[[4, 3, 3], [5, 5, 5], [2, 4, 3]]]], "bias": [0.5], "paddingMode": "zeros" }
        """;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    public async Task PostingTheBodyInSmallChunksGivesTheSameAnswer(int chunk)
    {
        using var response = await factory.CreateClient().PostAsync(Routes.ConvForward, new ChunkedContent(Body, chunk).WithJsonType());

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("""{"output":{"shape":[1,1,3,3],"data":[109.5,92.5,72.5,108.5,85.5,74.5,110.5,74.5,79.5]}}""", text);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public async Task PostingARaggedTensorInChunksStillNamesTheField(int chunk)
    {
        using var response = await factory.CreateClient().PostAsync(Routes.ConvForward, new ChunkedContent("""{"kernel": [[1]], "input": [[1, 2], [3]]}""", chunk).WithJsonType());

        await ProblemAssert.NamesField(response, "input", "[1] has 1 entries");
    }

    [Theory]
    [InlineData("""{"input": [[1]], "kernel": [[1]]} {}""")]
    [InlineData("""{"input": [[1]], "kernel": [[1]]""")]
    [InlineData("""[1, 2]""")]
    public async Task PostingSomethingOtherThanOneObjectIsABadRequest(string body)
    {
        using var response = await factory.CreateClient().PostAsync(Routes.ConvForward, new ChunkedContent(body, 3).WithJsonType());

        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PostingATensorFieldTwiceNamesIt()
    {
        using var response = await factory.CreateClient().PostAsync(Routes.ConvForward, Requests.Body("""{"input": [[1]], "kernel": [[1]], "input": [[2]]}"""));

        await ProblemAssert.NamesField(response, "input", "appears twice");
    }

    /// <summary>A JSON body written a few bytes at a time, flushed after each write.</summary>
    private sealed class ChunkedContent(string json, int chunk) : HttpContent
    {
        private readonly byte[] _bytes = Encoding.UTF8.GetBytes(json);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < _bytes.Length; offset += chunk)
            {
                await stream.WriteAsync(_bytes.AsMemory(offset, Math.Min(chunk, _bytes.Length - offset)));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }

        public ChunkedContent WithJsonType()
        {
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return this;
        }
    }
}
