using System.Reflection;
using System.Text.RegularExpressions;

namespace ConvService.Api.Tests.Hosting;

/// <summary>
/// The JIT's profile a published service starts with (src/Api/JitProfile.txt, written by scripts/jit-profile.sh). The
/// runtime skips a malformed file, or a method whose record is malformed, without a word, and a method it no longer
/// finds by name simply runs unprofiled: so the file is read here as the runtime reads it, and its methods of ours
/// are looked up in the assemblies under test.
/// </summary>
public sealed partial class JitProfileTests
{
    private static readonly string[] Lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "JitProfile.txt"));

    [Fact]
    public void EveryMethodRecordReadsAsTheRuntimeReadsIt()
    {
        Assert.Matches(Header(), Lines[0]);
        Assert.Equal("*** END PGO Data ***", Lines[^1]);
        var methods = 0;
        var line = 1;
        while (line < Lines.Length - 1)
        {
            var method = MethodHeader().Match(Lines[line]);
            Assert.True(method.Success, $"line {line + 1}: expected a method's header, found \"{Lines[line]}\"");
            Assert.StartsWith("MethodName: ", Lines[line + 1]);
            Assert.StartsWith("Signature: ", Lines[line + 2]);
            line += 3;
            var records = Convert.ToInt32(method.Groups["records"].Value, 16);
            for (var record = 0; record < records; record++, line++)
            {
                var schema = Schema().Match(Lines[line]);
                Assert.True(schema.Success, $"line {line + 1}: expected record {record + 1} of {records}, found \"{Lines[line]}\"");
                var kind = int.Parse(schema.Groups["kind"].Value);
                var count = int.Parse(schema.Groups["count"].Value);
                for (var entry = 0; entry < count; entry++)
                {
                    var value = Lines[++line];
                    // The low four bits of the kind say how its entries are written (the runtime's MarshalMask).
                    var readable = (kind & 0xF) switch
                    {
                        1 => FourBytes().IsMatch(value),
                        2 => EightBytes().IsMatch(value),
                        3 => value.StartsWith("TypeHandle: ", StringComparison.Ordinal),
                        4 => value.StartsWith("MethodHandle: ", StringComparison.Ordinal),
                        _ => false,
                    };
                    Assert.True(readable, $"line {line + 1}: entry {entry + 1} of a kind {kind} record, \"{value}\"");
                }
            }
            methods++;
        }
        // The file keeps the methods the JIT compiled with their counts under the recorded traffic, and the hot ones it
        // inlines whose calls met a type (scripts/jit-profile.sh): about 430 of ASP.NET Core's, Serilog's, the runtime's
        // and ours.
        Assert.InRange(methods, 300, int.MaxValue);
    }

    [Fact]
    public void EachCallsTypesAreWrittenInTheFewestEntries()
    {
        // The JIT reads a call's sampled types as each one's share of the entries that are not NULL; the runtime writes
        // 32 entries a call, and scripts/jit-profile.sh the same shares in the fewest (the runtime reads the file at
        // every start). A table of all NULL keeps one entry.
        var tables = 0;
        for (var line = 0; line < Lines.Length; line++)
        {
            var schema = Schema().Match(Lines[line]);
            if (!schema.Success || (int.Parse(schema.Groups["kind"].Value) & 0xF) is not (3 or 4))
                continue;
            var entries = Lines.AsSpan(line + 1, int.Parse(schema.Groups["count"].Value)).ToArray()
                .Select(entry => entry[(entry.IndexOf(": ", StringComparison.Ordinal) + 2)..]).ToArray();
            var shares = entries.CountBy(handle => handle).Select(share => share.Value).ToArray();
            Assert.True(entries is ["NULL"] || (!entries.Contains("NULL") && shares.Aggregate(GreatestCommonDivisor) == 1),
                $"line {line + 1}: the call's types in {entries.Length} entries, {string.Join(", ", shares)} of each");
            tables++;
        }
        Assert.InRange(tables, 100, int.MaxValue);
    }

    private static int GreatestCommonDivisor(int a, int b) => b == 0 ? a : GreatestCommonDivisor(b, a % b);

    [Fact]
    public void TheServicesOwnMethodsInItStillExist()
    {
        var ours = Lines.Where(line => line.StartsWith("MethodName: ConvService.", StringComparison.Ordinal))
            .Select(line => line["MethodName: ".Length..]).ToList();
        var missing = ours.Where(name => !Exists(name)).ToList();

        Assert.InRange(ours.Count, 15, int.MaxValue);
        // A few compiler-generated names (lambdas' closures, state machines) shift with unrelated edits; more than a
        // tenth gone means the request path has changed since the profile was recorded: run scripts/jit-profile.sh.
        Assert.True(missing.Count * 10 <= ours.Count,
            $"{missing.Count} of the profile's {ours.Count} ConvService methods no longer exist, e.g. {string.Join(", ", missing.Take(5))}");
    }

    /// <summary>
    /// Whether a method the runtime wrote as <c>Namespace.Type+Nested`1[Arguments].Method</c> is one of ours now.
    /// </summary>
    private static bool Exists(string written)
    {
        var name = Instantiation().Replace(written, "");
        var (type, method) = name.EndsWith("..ctor", StringComparison.Ordinal) || name.EndsWith("..cctor", StringComparison.Ordinal)
            ? (name[..name.LastIndexOf("..", StringComparison.Ordinal)], name[(name.LastIndexOf("..", StringComparison.Ordinal) + 1)..])
            : (name[..name.LastIndexOf('.')], name[(name.LastIndexOf('.') + 1)..]);
        const BindingFlags every = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        return Assemblies.Select(assembly => assembly.GetType(type)).OfType<Type>()
            .Any(found => found.GetMember(method, every).Length > 0);
    }

    private static readonly Assembly[] Assemblies = [typeof(Api.Hosting.RequestLog).Assembly, typeof(Domain.Convolution.Conv).Assembly];

    [GeneratedRegex(@"^\*\*\* START PGO Data, max index = \d+ \*\*\*$")]
    private static partial Regex Header();

    [GeneratedRegex(@"^@@@ codehash 0x[0-9A-F]{8} methodhash 0x[0-9A-F]{8} ilSize 0x[0-9A-F]{8} records 0x(?<records>[0-9A-F]{8})$")]
    private static partial Regex MethodHeader();

    [GeneratedRegex(@"^Schema InstrumentationKind (?<kind>\d+) ILOffset \d+ Count (?<count>\d+) Other \d+$")]
    private static partial Regex Schema();

    [GeneratedRegex(@"^\d+$")]
    private static partial Regex FourBytes();

    [GeneratedRegex(@"^\d+ \d+$")]
    private static partial Regex EightBytes();

    /// <summary>A generic type's arguments, nested brackets and all.</summary>
    [GeneratedRegex(@"\[(?>[^\[\]]+|\[(?<depth>)|\](?<-depth>))*(?(depth)(?!))\]")]
    private static partial Regex Instantiation();
}
