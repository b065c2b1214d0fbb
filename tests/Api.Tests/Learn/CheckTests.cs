using ConvService.Api.Endpoints;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Learn;

/// <summary>POST /check: wrong cells with expected, given and their explanation; a wrong shape; a correct answer; tolerances.</summary>
[Collection(ApiCollection.Name)]
public class CheckTests(ApiFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    private Task<System.Text.Json.JsonElement> Check(string operation, string request, string answer, string extra = "") =>
        _client.Ok(Routes.Check, $$"""{"operation": "{{operation}}", "request": {{request}}, "answer": {{answer}}{{extra}}}""");

    [Fact]
    public async Task TheHomeworksSlipIsAWrongCellExplainedWithItsSum()
    {
        var answer = await Check(Routes.ConvForward, $$"""{ {{LearnApi.Seed}} }""", """{"output": [[105, 92, 72], [108, 85, 74], [110, 74, 79]]}""");

        Assert.False(answer.GetProperty("correct").GetBoolean());
        Assert.Equal(9, answer.GetProperty("cells").GetInt32());
        Assert.Equal(1, answer.GetProperty("wrongCount").GetInt32());
        var wrong = answer.GetProperty("wrong")[0];
        Assert.Equal("output", wrong.GetProperty("field").GetString());
        Assert.Equal([0, 0], wrong.GetProperty("index").Ints());
        Assert.Equal(109, wrong.GetProperty("expected").GetDouble());
        Assert.Equal(105, wrong.GetProperty("given").GetDouble());
        Assert.Equal("4·4 + 5·3 + 2·3 + 3·5 + 3·5 + 2·5 + 4·2 + 3·4 + 4·3 = 109", wrong.GetProperty("explanation").GetProperty("text").GetString());
    }

    [Fact]
    public async Task AWrongShapeIsIncorrectWithTheExpectedShape()
    {
        var answer = await Check(Routes.ConvForward, $$"""{ {{LearnApi.Seed}} }""", """{"output": [[109, 92], [108, 85]]}""");

        Assert.False(answer.GetProperty("correct").GetBoolean());
        Assert.Equal([3, 3], answer.GetProperty("expectedShape").GetProperty("output").Ints());
        Assert.Equal(0, answer.GetProperty("wrong").GetArrayLength());
    }

    [Fact]
    public async Task TheSeedsAnswersAreCorrect()
    {
        var forward = await Check(Routes.ConvForward, $$"""{ {{LearnApi.Seed}} }""", """{"output": [[109, 92, 72], [108, 85, 74], [110, 74, 79]]}""");
        var backward = await Check(Routes.ConvBackward, $$"""{ {{LearnApi.Seed}} }""",
            """{"gradInput": [[4, 7, 10, 6, 3], [9, 17, 25, 16, 8], [11, 23, 34, 23, 11], [7, 16, 24, 17, 8], [2, 6, 9, 7, 3]], "gradKernel": [[30, 24, 19], [29, 21, 21], [30, 19, 21]]}""");
        var pooled = await Check("/pool/max", $$"""{"input": {{LearnApi.SeedC}}, "kernelSize": 2, "stride": 1}""", """{"output": [[109, 92], [110, 85]]}""");

        Assert.True(forward.GetProperty("correct").GetBoolean());
        Assert.True(backward.GetProperty("correct").GetBoolean());
        Assert.Equal(["gradInput", "gradKernel"], backward.GetProperty("graded").Strings());
        Assert.Equal(34, backward.GetProperty("cells").GetInt32());
        Assert.True(pooled.GetProperty("correct").GetBoolean());
    }

    [Theory]
    [InlineData("", true)]
    [InlineData(", \"tolerance\": 1e-9", false)]
    public async Task AValueIsRightWithinTheTolerance(string tolerance, bool correct)
    {
        var answer = await Check(Routes.ConvForward, $$"""{ {{LearnApi.Seed}} }""", """{"output": [[109.00001, 92, 72], [108, 85, 74], [110, 74, 79]]}""", tolerance);

        Assert.Equal(correct, answer.GetProperty("correct").GetBoolean());
    }

    [Fact]
    public async Task AWrongGradientCellIsExplainedByTheChainRule()
    {
        var answer = await Check(Routes.ConvBackward, $$"""{ {{LearnApi.Seed}} }""", """{"gradKernel": [[31, 24, 19], [29, 21, 21], [30, 19, 21]]}""");

        var explanation = answer.GetProperty("wrong")[0].GetProperty("explanation");
        Assert.Equal("gradKernel", explanation.GetProperty("of").GetString());
        Assert.Equal(30, explanation.GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task AWrongPoolGradientIsExplainedByTheWindowsThatSendIt()
    {
        var answer = await Check("/pool/max/backward", $$"""{"input": {{LearnApi.SeedC}}, "kernelSize": 2, "stride": 1}""", """{"gradInput": [[1, 1, 0], [0, 0, 0], [1, 0, 0]]}""");

        Assert.Equal(1, answer.GetProperty("wrongCount").GetInt32());
        var first = answer.GetProperty("wrong")[0];
        Assert.Equal([1, 1], first.GetProperty("index").Ints());
        Assert.Equal(4, first.GetProperty("explanation").GetProperty("terms").GetArrayLength());
    }

    [Fact]
    public async Task OnlyTheFirstTwentyWrongCellsAreExplained()
    {
        var zeros = "[" + string.Join(",", Enumerable.Repeat("[" + string.Join(",", Enumerable.Repeat(0, 6)) + "]", 6)) + "]";
        var input = "[" + string.Join(",", Enumerable.Range(0, 6).Select(i => "[" + string.Join(",", Enumerable.Range(1, 6).Select(j => i * 6 + j)) + "]")) + "]";
        var answer = await Check("/pool/avg", $$"""{"input": {{input}}, "kernelSize": 1}""", $$"""{"output": {{zeros}}}""");

        var wrong = answer.GetProperty("wrong").EnumerateArray().ToList();
        Assert.Equal(36, wrong.Count);
        Assert.All(wrong.Take(20), w => Assert.True(w.TryGetProperty("explanation", out _)));
        Assert.All(wrong.Skip(20), w => Assert.False(w.TryGetProperty("explanation", out _)));
    }

    [Fact]
    public async Task Float32AnswersAreGradedInFloat32Digits()
    {
        var answer = await Check(Routes.ConvForward, """{"input": [[0.1, 0.2]], "kernel": [[1, 1]], "dtype": "float32"}""", """{"output": [[0.3]]}""", ", \"tolerance\": 0");

        Assert.True(answer.GetProperty("correct").GetBoolean());
    }

    [Theory]
    [InlineData("/conv/sideways", "{}", "{\"output\": [1]}", "operation", "/pool/max/backward")]
    [InlineData("/conv/forward", "{\"input\": [[1, 2]]}", "{\"output\": [1]}", "request.kernel", "required")]
    [InlineData("/conv/forward", "{\"input\": [[1, 2]], \"kernel\": [[1, 1, 1]]}", "{\"output\": [1]}", "request.kernel", "larger than the padded input")]
    [InlineData("/pool/max", "{\"input\": [[1, 2]], \"kernelSize\": 1, \"size\": 2}", "{\"output\": [1]}", "request.size", "not a field")]
    [InlineData("/conv/forward", "{\"input\": [[1, 2]], \"kernel\": [[1]]}", "{\"gradInput\": [1]}", "answer.gradInput", "answers output")]
    [InlineData("/conv/forward", "{\"input\": [[1, 2]], \"kernel\": [[1]]}", "{\"output\": \"lots\"}", "answer.output", "")]
    [InlineData("/conv/forward", "{\"input\": [[1, 2]], \"kernel\": [[1]]}", "{}", "answer", "at least one of output")]
    [InlineData("/conv/forward", "[1, 2]", "{\"output\": [1]}", "request", "JSON object")]
    [InlineData("/conv/forward", "{\"input\": [[1, 2]], \"kernel\": [[1]]}", "null", "answer", "JSON object")]
    public async Task BrokenRequestsNameTheFieldInsideTheCheck(string operation, string request, string answer, string field, string fragment)
    {
        using var response = await _client.PostAsync(Routes.Check, Requests.Body($$"""{"operation": "{{operation}}", "request": {{request}}, "answer": {{answer}}}"""));

        await ProblemAssert.NamesField(response, field, fragment);
    }
}

/// <summary>/check costs at most twice the route it grades, within the same work limit.</summary>
public sealed class CheckLimitTests(CheckLimitTests.Factory factory) : IClassFixture<CheckLimitTests.Factory>
{
    public sealed class Factory : LimitedApiFactory
    {
        protected override IReadOnlyDictionary<string, string> Limits => new Dictionary<string, string> { ["MaxMultiplyAdds"] = "100" };
    }

    [Fact]
    public async Task GradingARouteOfMoreThanHalfTheWorkLimitIsA400()
    {
        var client = factory.CreateClient();
        const string request = """{"input": [[4, 5, 2, 2, 1], [3, 3, 2, 2, 4], [4, 3, 4, 1, 1], [5, 1, 4, 1, 2], [5, 1, 3, 1, 4]], "kernel": [[4, 3, 3], [5, 5, 5], [2, 4, 3]]}""";
        using var route = await client.PostAsync(Routes.ConvForward, Requests.Body(request));
        using var check = await client.PostAsync(Routes.Check, Requests.Body($$$"""{"operation": "/conv/forward", "request": {{{request}}}, "answer": {"output": [[0]]}}"""));

        Assert.Equal(System.Net.HttpStatusCode.OK, route.StatusCode);
        await ProblemAssert.NamesField(check, "request", "twice the route's work, 162", "100");
    }
}
