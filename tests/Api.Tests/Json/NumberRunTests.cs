using System.Globalization;
using System.Text;
using System.Text.Json;
using ConvService.Api.Contracts;
using ConvService.Api.Errors;
using ConvService.Api.Json;
using ConvService.Api.Tests.Support;
using CsCheck;
using Microsoft.AspNetCore.Http;

namespace ConvService.Api.Tests.Json;

/// <summary>
/// The body binder reads runs of numbers straight from the bytes (<see cref="NumberRunScanner"/>) and everything else
/// token by token; whatever the spelling, spacing and blocks of a body, it must bind what the token path binds and
/// refuse what it refuses, in the same words. Blocks of one byte leave the scanner nothing whole to read, so they are
/// the token path's answer.
/// </summary>
public class NumberRunTests
{
    private static readonly JsonSerializerOptions Options = WireOptions();

    private static readonly Gen<string> DigitRun = Gen.Char['0', '9'].Array[1, 24].Select(digits => new string(digits));

    /// <summary>Any number JSON allows: -?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?, up to 49 digits, exponents padded or not.</summary>
    private static readonly Gen<string> Spelled =
        from minus in Gen.Bool
        from integer in Gen.OneOf(Gen.Const("0"), Gen.Select(Gen.Char['1', '9'], DigitRun, (first, rest) => first + rest), Gen.Char['1', '9'].Select(c => c.ToString()))
        from fraction in Gen.OneOf(Gen.Const(""), DigitRun.Select(digits => "." + digits))
        from exponent in Gen.OneOf(Gen.Const(""), Gen.Select(Gen.OneOf("e", "E"), Gen.OneOf("", "+", "-"), Gen.Int[0, 330], Gen.Bool,
            (e, sign, power, padded) => e + sign + power.ToString(padded ? "D3" : "D", CultureInfo.InvariantCulture)))
        select (minus ? "-" : "") + integer + fraction + exponent;

    /// <summary>Doubles and floats as .NET writes them: shortest, 17 digits, E-notation, integers.</summary>
    private static readonly Gen<string> Formatted = Gen.OneOf(
        Gen.Select(Gen.Double.Where(double.IsFinite), Gen.OneOf("R", "G17", "E16", "e3", "G", "F0", "F6"), (value, format) => value.ToString(format, CultureInfo.InvariantCulture)),
        Gen.Select(Gen.Single.Where(float.IsFinite), Gen.OneOf("R", "G9", "E8"), (value, format) => value.ToString(format, CultureInfo.InvariantCulture)),
        Gen.Int[-999_999, 999_999].Select(micro => (micro / 1e6).ToString("R", CultureInfo.InvariantCulture)));

    private static readonly Gen<string> FiniteNumber = Gen.OneOf(Spelled, Formatted).Where(text => double.IsFinite(double.Parse(text, CultureInfo.InvariantCulture)));

    /// <summary>JSON whitespace between tokens, mostly none.</summary>
    private static readonly Gen<string> Space = Gen.Frequency((6, Gen.Const("")), (1, Gen.OneOf(" ", "\n", "\r\n", "\t", " \n  ", "\n\n\t")));

    private static readonly Gen<int> Block = Gen.OneOf(Gen.Const(0), Gen.Int[2, 40], Gen.Const(4096));

    /// <summary>Numbers that are not JSON numbers, or not finite, or not numbers: the scanner must stop before each.</summary>
    private static readonly string[] Refused =
    [
        "01", "-01", "00", "-00.5", "1.", "-1.", ".5", "+1", "1e", "1E+", "1e-", "-", "--1", "1.5.2", "1e5.5", "0x1F", "1_000",
        "NaN", "Infinity", "-Infinity", "1e999", "-1e400", "\"NaN\"", "\"-Infinity\"", "\"1\"", "true", "null", "[1]", "{}", "1 2", "1}", "1/", "1:", "12345678:9", "0.1234567:",
    ];

    [Fact]
    public void ReaderStatesCanBeMovedOverARun() =>
        // Without it every run is read token by token, and the properties below would test the token path twice.
        Assert.True(ReaderLines.CanMove);

    [Fact]
    public void NumbersReadAsDoubleParseReadsThemWhateverTheirSpellingSpacingAndBlocks() =>
        Gen.Select(FiniteNumber.Array[1, 40], Gen.Int[1, 4], Space.Array[8], Block, Gen.Int[0, 2]).Sample((numbers, rows, spaces, block, form) =>
        {
            var (body, shape) = Body(numbers, rows, spaces, form);
            var expected = $"{shape} {Bits(numbers.Select(text => double.Parse(text, CultureInfo.InvariantCulture)))}";

            Assert.True(expected == Read(body, block), $"block {block}: {body}");
        }, iter: 3000, threads: 1);

    [Fact]
    public void AnythingButANumberInARunGetsTheTokenPathsAnswer() =>
        Gen.Select(FiniteNumber.Array[1, 30], Gen.Int[0, Refused.Length - 1], Gen.Int[0, 29], Space.Array[8], Block, Gen.Int[0, 2]).Sample((numbers, refused, at, spaces, block, form) =>
        {
            numbers[at % numbers.Length] = Refused[refused];
            var (body, _) = Body(numbers, 1, spaces, form);

            Assert.True(Read(body, 1) == Read(body, block), $"block {block}: {body}\n token path: {Read(body, 1)}\n      blocks: {Read(body, block)}");
        }, iter: 3000, threads: 1);

    [Theory]
    [InlineData("[1,\n 2,\n 01, 4]", "not valid JSON at line 3, byte 3: ")]
    [InlineData("[1,\n 2,\n 3 , 1e999]", "input: [3] = 1e999 overflows to infinity")]
    [InlineData("{\"shape\": [3], \"data\": [0.5, -0, 2.]}", "not valid JSON at line 1, byte 63: ]")]
    [InlineData("[[1, 2, 3], [4, 5]]", "input: ragged array: [1] has 2 entries where the first array at that depth has 3")]
    public void RefusedRunsNameTheProblemAndWhereWhenReadInOneBuffer(string tensor, string problem) =>
        // The byte named is the offending one, counted from 1 on its line: "1" after "0", "]" after "2.".
        Assert.StartsWith(problem, Read($"{{\"kernel\": [[1]], \"input\": {tensor}}}", 0));

    /// <summary>
    /// The scanner reads its bytes without a check per byte, so where a block ends must stop it: its answer for a block
    /// may not change with the bytes that follow in memory. Tails that would continue the cut number (digits, a point, an
    /// exponent, then a comma) are where an over-read would show.
    /// </summary>
    [Fact]
    public void AScanReadsNothingPastTheEndOfItsBytes()
    {
        string[] tails = ["1,", "5]", ".5,", "e5,", "-2,", "0,1,2,", " ,3,", "123456789012345678,"];
        Gen.Select(FiniteNumber.Array[1, 12], Space.Array[8], Gen.Int[0, 1000], Gen.Int[0, tails.Length - 1]).Sample((numbers, spaces, cut, tail) =>
        {
            var next = 0;
            string S() => spaces[next++ % spaces.Length];
            var text = Encoding.UTF8.GetBytes(string.Concat(numbers.Select(number => S() + "," + S() + number)) + S() + "]");
            var bytes = text[..(cut % (text.Length + 1))];
            var followed = (byte[])[.. bytes, .. Encoding.UTF8.GetBytes(tails[tail])];

            Assert.True(Scan(bytes) == Scan(followed.AsSpan(0, bytes.Length)), $"{Encoding.UTF8.GetString(bytes)} followed by {tails[tail]}");
        }, iter: 3000, threads: 1);
    }

    /// <summary>A number longer than the scanner's search for its limit, read whole or across blocks, as double.Parse reads it.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(50)]
    [InlineData(300)]
    public void ANumberOfHundredsOfDigitsReadsAsDoubleParseReadsIt(int block)
    {
        string[] numbers = [.. Enumerable.Range(0, 40).Select(i => (i * 0.25).ToString(CultureInfo.InvariantCulture)), "0." + new string('3', 300), "-1.5"];
        var (body, shape) = Body(numbers, 1, [""], 0);

        Assert.Equal($"{shape} {Bits(numbers.Select(text => double.Parse(text, CultureInfo.InvariantCulture)))}", Read(body, block));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void ARunPastTheTensorLimitIsRefusedAtTheFirstNumberTooMany(int block)
    {
        var body = $"{{\"input\": [{string.Join(',', Enumerable.Range(0, 101).Select(i => i * 0.25))}], \"kernel\": [[1]]}}";

        Assert.Equal("input: more than 100 numbers; the limit per tensor is 100", Read(body, block, maxElements: 100));
        Assert.Equal("input: more than 100 numbers; the limit per request is 101 across all tensors and 100 were left",
            Read(body.Replace("\"input\": [0,", "\"kernel\": [[1]], \"input\": [0,").Replace(", \"kernel\": [[1]]}", "}"), block, maxElements: 1000, maxRequest: 101));
    }

    /// <summary>The body as a tensor "input" in one of three forms, with a space from <paramref name="spaces"/> at every token boundary.</summary>
    private static (string Body, string Shape) Body(string[] numbers, int rows, string[] spaces, int form)
    {
        var next = 0;
        string S() => spaces[next++ % spaces.Length];
        string Array(IEnumerable<string> items) => "[" + S() + string.Join(S() + "," + S(), items) + S() + "]";
        rows = numbers.Length % rows == 0 ? rows : 1;
        var columns = numbers.Length / rows;
        var (tensor, shape) = form switch
        {
            0 => (Array(numbers), $"[{numbers.Length}]"),
            1 => (Array(Enumerable.Range(0, rows).Select(r => Array(numbers.Skip(r * columns).Take(columns)))), $"[{rows}, {columns}]"),
            _ => ("{" + S() + "\"shape\"" + S() + ":" + S() + $"[{numbers.Length}]" + S() + "," + S() + "\"data\"" + S() + ":" + S() + Array(numbers) + S() + "}", $"[{numbers.Length}]"),
        };
        return ($"{{{S()}\"input\"{S()}:{S()}{tensor}{S()},{S()}\"kernel\":[[1]]{S()}}}", shape);
    }

    /// <summary>What the binder makes of the body in blocks of <paramref name="block"/> bytes: the input's shape and bits, or the 400's message.</summary>
    private static string Read(string body, int block, int maxElements = 10_000, int maxRequest = 100_000)
    {
        try
        {
            using var request = JsonBody.Read<ConvForwardRequest>(BlockSequence.Of(Encoding.UTF8.GetBytes(body), block), Options, maxElements, maxRequest)!;
            var input = request.Input!;
            return $"[{string.Join(", ", input.Shape.Dims)}] {Bits(input.Data.ToArray())}";
        }
        catch (JsonException error)
        {
            var problem = (HttpValidationProblemDetails)JsonProblems.From(error);
            return string.Join("; ", problem.Errors.SelectMany(field => field.Value));
        }
    }

    /// <summary>The scanner's run over <paramref name="text"/>, with the bits of the numbers it wrote.</summary>
    private static string Scan(ReadOnlySpan<byte> text)
    {
        var values = new double[64];
        var run = NumberRunScanner.Scan(text, values);
        return $"{run} {Bits(values.Take(run.Count))}";
    }

    private static JsonSerializerOptions WireOptions()
    {
        var options = new JsonSerializerOptions();
        WireJson.Configure(options);
        return options;
    }

    private static string Bits(IEnumerable<double> values) => string.Join(",", values.Select(v => BitConverter.DoubleToInt64Bits(v).ToString("X16", CultureInfo.InvariantCulture)));
}
