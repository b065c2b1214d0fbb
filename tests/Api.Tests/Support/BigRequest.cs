namespace ConvService.Api.Tests.Support;

/// <summary>
/// A convolution that keeps a compute slot for seconds: 1×256×128×128 input ⊛ 256×256×7×7 kernel, padding 3, about
/// 5·10¹⁰ multiply-adds (a factory must raise the work limit for it), far beyond any sub-second time limit.
/// </summary>
internal static class BigRequest
{
    public static readonly string Json =
        $$"""{"input": {"shape": [1, 256, 128, 128], "data": [{{string.Join(",", Enumerable.Repeat("1", 256 * 128 * 128))}}]}, "kernel": {"shape": [256, 256, 7, 7], "data": [{{string.Join(",", Enumerable.Repeat("1", 256 * 256 * 49))}}]}, "padding": 3 }""";
}
