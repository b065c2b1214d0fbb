using System.Net.Http.Headers;
using System.Text;

namespace ConvService.Api.Tests.Support;

internal static class Requests
{
    /// <summary>A JSON body from raw text, so that tests can send exactly the bytes they mean (malformed ones too).</summary>
    public static StringContent Body(string json) => new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    public const string SeedImage = "[[4,5,2,2,1],[3,3,2,2,4],[4,3,4,1,1],[5,1,4,1,2],[5,1,3,1,4]]";
    public const string SeedKernel = "[[4,3,3],[5,5,5],[2,4,3]]";
    public const string SeedImageFlat = """{"shape":[1,1,5,5],"data":[4,5,2,2,1,3,3,2,2,4,4,3,4,1,1,5,1,4,1,2,5,1,3,1,4]}""";
    public const string SeedKernelFlat = """{"shape":[1,1,3,3],"data":[4,3,3,5,5,5,2,4,3]}""";
}
