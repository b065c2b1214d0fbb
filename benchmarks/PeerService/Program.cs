using System.Text.Json.Nodes;
using TorchSharp;
using F = TorchSharp.torch.nn.functional;

// POST /conv/forward {"input": nested arrays, "kernel": nested arrays} → {"output": nested arrays}: torch.nn.functional.conv2d
// of a 2-D input and kernel (the seed homework's form), in float64, bound and written by System.Text.Json. What a
// developer would write first, as the peer: no pooling of buffers, no streaming.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

app.MapGet("/health", () => "ok");
app.MapPost("/conv/forward", (JsonObject body) =>
{
    var (input, inputShape) = Flatten(body["input"]);
    var (kernel, kernelShape) = Flatten(body["kernel"]);
    using var x = torch.tensor(input, [1, 1, .. inputShape], torch.float64);
    using var w = torch.tensor(kernel, [1, 1, .. kernelShape], torch.float64);
    using var y = F.conv2d(x, w);
    var shape = y.shape[2..];
    var values = y.data<double>().ToArray();
    return Results.Json(new JsonObject { ["output"] = Nest(values, shape, 0, 0) });
});

app.Run();

static (double[] Values, long[] Shape) Flatten(JsonNode? node)
{
    var shape = new List<long>();
    for (var level = node; level is JsonArray array; level = array.Count > 0 ? array[0] : null)
        shape.Add(((JsonArray)level).Count);
    var values = new List<double>();
    Collect(node, values);
    return ([.. values], [.. shape]);
}

static void Collect(JsonNode? node, List<double> values)
{
    if (node is JsonArray array)
        foreach (var item in array)
            Collect(item, values);
    else
        values.Add(node!.GetValue<double>());
}

static JsonNode Nest(double[] values, long[] shape, int level, long offset)
{
    var array = new JsonArray();
    var stride = shape[(level + 1)..].Aggregate(1L, (a, b) => a * b);
    for (long i = 0; i < shape[level]; i++)
        array.Add(level == shape.Length - 1 ? JsonValue.Create(values[offset + i]) : Nest(values, shape, level + 1, offset + i * stride));
    return array;
}
