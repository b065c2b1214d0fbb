using System.Text.Json;
using Xunit.Abstractions;

namespace ConvService.Api.Tests.Support;

/// <summary>
/// One line of Conformance/*.jsonl: a request and PyTorch 2.10's float64 answer (copied from ../shared/conformance).
/// Serializable so that each case shows as its own test.
/// </summary>
public sealed class ConformanceCase : IXunitSerializable
{
    public ConformanceCase()
    {
    }

    private ConformanceCase(string file, int line, string json) => (File, Line, Json) = (file, line, json);

    public string File { get; private set; } = "";

    public int Line { get; private set; }

    public string Json { get; private set; } = "";

    public string Endpoint => Parse().RootElement.GetProperty("endpoint").GetString()!;

    public JsonDocument Parse() => JsonDocument.Parse(Json);

    /// <summary>Every case whose endpoint starts with <paramref name="prefix"/>, from <paramref name="files"/> (default: the seed's and the float64 cases).</summary>
    public static TheoryData<ConformanceCase> Where(string prefix, params string[] files)
    {
        var data = new TheoryData<ConformanceCase>();
        foreach (var file in files.Length > 0 ? files : ["seed.jsonl", "cases.jsonl"])
        {
            var lines = System.IO.File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Conformance", file));
            for (var i = 0; i < lines.Length; i++)
            {
                if (string.IsNullOrWhiteSpace(lines[i]))
                    continue;
                var item = new ConformanceCase(file, i + 1, lines[i]);
                if (item.Endpoint.StartsWith(prefix, StringComparison.Ordinal))
                    data.Add(item);
            }
        }
        return data;
    }

    public void Deserialize(IXunitSerializationInfo info) =>
        (File, Line, Json) = (info.GetValue<string>(nameof(File)), info.GetValue<int>(nameof(Line)), info.GetValue<string>(nameof(Json)));

    public void Serialize(IXunitSerializationInfo info)
    {
        info.AddValue(nameof(File), File);
        info.AddValue(nameof(Line), Line);
        info.AddValue(nameof(Json), Json);
    }

    public override string ToString() => $"{File}:{Line} {Endpoint}";
}
