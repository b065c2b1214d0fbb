using System.Text;
using CsCheck;

namespace ConvService.Api.Tests.Fuzz;

/// <summary>One generated request: the body's bytes and the Content-Type it is sent with (null: none).</summary>
public sealed record FuzzRequest(byte[] Body, string? ContentType)
{
    public override string ToString() => $"Content-Type: {ContentType ?? "(none)"}; body: {Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 600))}";
}

/// <summary>
/// Malformed and hostile bodies for a route: objects whose fields are plausible, hostile, missing, repeated or
/// unknown; truncated JSON; bodies that are not objects; deep nesting; random bytes; wrong content types.
/// </summary>
public static class HostileBodies
{
    private static readonly Gen<string> UnknownField = Gen.OneOf(
        "\"kernelSize\":3", "\"normType\":2", "\"__proto__\":{}", "\"Input\":[[1]]", "\"\":1", "\"gradOutput\":[[1]]", "\"ceilMode\":true");

    public static Gen<FuzzRequest> For(FuzzRoute route)
    {
        var json = JsonObject(route);
        return Gen.Frequency(
            (12, json.Select(Json)),
            (2, Gen.Select(json, Gen.Double[0, 1]).Select(p => Json(p.Item1[..(int)(p.Item1.Length * p.Item2)]))),
            (1, Gen.Select(json, Gen.OneOf<string?>("text/plain", "application/xml", "application/x-www-form-urlencoded", null, "application/json; charset=latin1"))
                .Select(p => new FuzzRequest(Encoding.UTF8.GetBytes(p.Item1), p.Item2))),
            (2, Gen.OneOf(FuzzValues.Hostile, Gen.Int[1, 2000].Select(d => new string('[', d)), Gen.Int[1, 300].Select(d => Repeat("{\"input\":", d) + "1" + new string('}', d)))
                .Select(Json)),
            (1, Gen.Byte.Array[0, 300].Select(bytes => new FuzzRequest(bytes, "application/json"))));
    }

    /// <summary>An object over the route's fields: each plausible, hostile or absent; sometimes an unknown or repeated field.</summary>
    private static Gen<string> JsonObject(FuzzRoute route)
    {
        var members = route.Fields.Select(field => Gen.Frequency(
                (6, field.Value.Select(v => $"\"{field.Key}\":{v}")),
                (2, FuzzValues.Hostile.Select(v => $"\"{field.Key}\":{v}")),
                (3, Gen.Const(""))))
            .ToArray();
        var extras = Gen.Frequency((8, Gen.Const("")), (2, UnknownField), (1, members[0]));
        var all = members.Aggregate(Gen.Const(Array.Empty<string>()), (acc, member) => Gen.Select(acc, member).Select(p => (string[])[.. p.Item1, p.Item2]));
        return Gen.Select(all, extras).Select(p => "{" + string.Join(",", p.Item1.Append(p.Item2).Where(m => m.Length > 0)) + "}");
    }

    private static FuzzRequest Json(string text) => new(Encoding.UTF8.GetBytes(text), "application/json");

    private static string Repeat(string text, int count) => string.Concat(Enumerable.Repeat(text, count));
}
