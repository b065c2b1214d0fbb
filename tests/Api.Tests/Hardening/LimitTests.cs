using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Hardening;

/// <summary>Each size limit of "Limits" answers a 400 naming the field and the numbers, before anything is allocated.</summary>
public class LimitTests(LimitedApiFactory factory) : IClassFixture<LimitedApiFactory>
{
    private Task<HttpResponseMessage> Post(string json) => factory.CreateClient().PostAsync(Routes.ConvForward, Requests.Body(json));

    [Fact]
    public async Task PostingATensorOverThePerTensorLimitNamesIt()
    {
        using var response = await Post($$"""{"input": {{Zeros(15, 15)}}, "kernel": [[1]]}""");

        await ProblemAssert.NamesField(response, "input", "more than 200 numbers", "the limit per tensor is 200");
    }

    [Fact]
    public async Task PostingTensorsOverThePerRequestLimitNamesTheOneThatCrossedIt()
    {
        using var response = await Post($$"""{"input": {{Zeros(12, 12)}}, "kernel": {"shape": [1, 1, 10, 11], "data": []} }""");

        await ProblemAssert.NamesField(response, "kernel", "holds 110 elements", "the limit per request is 250 across all tensors and 106 were left");
    }

    [Fact]
    public async Task PostingAnOutputOverTheLimitNamesTheKernel()
    {
        using var response = await Post($$"""{"input": [{{Zeros(6, 6)}}], "kernel": [[[[1]]], [[[1]]], [[[1]]]]}""");

        await ProblemAssert.NamesField(response, "kernel", "the output 3×6×6 would hold 108 elements; the limit is 100");
    }

    [Fact]
    public async Task PostingAPoolingOutputOverTheLimitNamesTheOutputSize()
    {
        using var response = await factory.CreateClient().PostAsync($"{Routes.Pool}/adaptive-avg", Requests.Body("""{"input": [[1, 2], [3, 4]], "outputSize": 11}"""));

        await ProblemAssert.NamesField(response, "outputSize", "11×11 would hold 121 elements; the limit is 100");
    }

    [Fact]
    public async Task PostingPoolingWindowsThatReadMoreThanTheWorkLimitNamesTheKernelSize()
    {
        using var response = await factory.CreateClient().PostAsync($"{Routes.Pool}/max", Requests.Body($$"""{"input": {{Zeros(14, 14)}}, "kernelSize": 7, "stride": 1}"""));

        await ProblemAssert.NamesField(response, "kernelSize", "the windows of the output 8×8 read 3136 input elements; the limit per request is 1000");
    }

    [Fact]
    public async Task PostingAPoolingGradientCountsTheWindowsReadTwice()
    {
        using var response = await factory.CreateClient().PostAsync($"{Routes.Pool}/avg/backward", Requests.Body($$"""{"input": {{Zeros(10, 10)}}, "kernelSize": 3, "stride": 1}"""));

        await ProblemAssert.NamesField(response, "kernelSize", "read 576 input elements (and again to route the gradient); the limit per request is 1000");
    }

    [Fact]
    public async Task PostingMoreMultiplyAddsThanTheLimitNamesTheKernel()
    {
        using var response = await Post($$"""{"input": [{{Zeros(10, 10)}}, {{Zeros(10, 10)}}], "kernel": [[{{Zeros(5, 5)}}, {{Zeros(5, 5)}}]]}""");

        await ProblemAssert.NamesField(response, "kernel", "needs 1800 multiply-adds; the limit per request is 1000");
    }

    [Fact]
    public async Task PostingAPoolingThatReadsMoreThanTheWorkLimitNamesTheKernelSize()
    {
        // 9×9 outputs of 4×4 windows: 1296 reads against Limits:MaxWork 1000, the limit convolution's multiply-adds meet too.
        using var response = await factory.CreateClient().PostAsync($"{Routes.Pool}/max", Requests.Body($$"""{"input": {{Zeros(12, 12)}}, "kernelSize": 4, "stride": 1}"""));

        await ProblemAssert.NamesField(response, "kernelSize", "the windows of the output 9×9 read 1296 input elements; the limit per request is 1000");
    }

    [Fact]
    public async Task PostingPaddingThatWouldOverflowIntsIsAPaddingProblem()
    {
        using var response = await Post("""{"input": [[1]], "kernel": [[1]], "padding": [2147483647, 2000000000], "dilation": 2147483647}""");

        await ProblemAssert.NamesField(response, "padding", "4294967295×4000000001");
    }

    internal static string Zeros(int rows, int columns) =>
        "[" + string.Join(",", Enumerable.Repeat("[" + string.Join(",", Enumerable.Repeat("0", columns)) + "]", rows)) + "]";
}
