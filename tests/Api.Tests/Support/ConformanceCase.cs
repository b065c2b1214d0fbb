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

    /// <summary>The files every endpoint's cases come from: the seed's, v1's, and issue 12's (1-D, 3-D, transposed, padding forms).</summary>
    public static readonly string[] AllFiles = ["seed.jsonl", "cases.jsonl", "nd.jsonl"];

    /// <summary>Every case whose endpoint is <paramref name="endpoint"/> or lies under it, from <paramref name="files"/> (default: all).</summary>
    public static TheoryData<ConformanceCase> Where(string endpoint, params string[] files)
    {
        var data = new TheoryData<ConformanceCase>();
        foreach (var file in files.Length > 0 ? files : AllFiles)
        {
            var lines = System.IO.File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Conformance", file));
            for (var i = 0; i < lines.Length; i++)
            {
                if (string.IsNullOrWhiteSpace(lines[i]))
                    continue;
                var item = new ConformanceCase(file, i + 1, lines[i]);
                if (item.Endpoint == endpoint || item.Endpoint.StartsWith(endpoint + "/", StringComparison.Ordinal))
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
