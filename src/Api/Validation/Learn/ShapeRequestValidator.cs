using System.Text.Json.Serialization;
using ConvService.Api.Contracts.Learn;
using ConvService.Api.Plans.Learn;
using FluentValidation;

namespace ConvService.Api.Validation.Learn;

/// <summary>
/// The field rules of /shape: an input shape, a spatialDims with per-axis lists of that length, and layers that each
/// name a known op and send only that op's fields. The rules of each op are the plan's (<see cref="Plans.Learn.ShapePlan"/>).
/// </summary>
public sealed class ShapeRequestValidator : AbstractValidator<ShapeRequest>
{
    private static readonly string[] ConvOnly = ["outChannels", "groups", "bias", "paddingMode", "outputPadding"];

    private static readonly string[] LayerFields = [.. typeof(ShapeLayer).GetProperties()
        .Where(p => p.CanWrite && !p.IsDefined(typeof(JsonExtensionDataAttribute), true))
        .Select(p => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(p.Name))];

    public ShapeRequestValidator()
    {
        RuleFor(r => r.Input).NotNull().WithMessage("input is required: the input's shape, e.g. [5, 5] for a plane or [1, 3, 224, 224] for (N, C, H, W)");
        RuleFor(r => r.Layers).NotEmpty().WithMessage("layers is required: at least one layer, e.g. [{\"op\": \"conv\", \"kernelSize\": 3}]");
        this.NoUnknownFields(r => r.UnknownFields);
        RuleFor(r => r).Custom((request, context) =>
        {
            if (request.Input is { } input && input.Any(d => d < 0))
                context.AddFailure("input", $"input's dimensions must be ≥ 0; got [{string.Join(", ", input)}]");
            CommonRules.AddAxisFailures(context.AddFailure, request.SpatialDims, null);
            for (var i = 0; i < (request.Layers?.Count ?? 0); i++)
                CheckLayer(request.Layers![i], $"layers[{i}]", request.Dims, context.AddFailure);
        });
    }

    private static void CheckLayer(ShapeLayer? layer, string name, int d, Action<string, string> addFailure)
    {
        if (layer is null)
        {
            addFailure(name, $"{name} must be an object with an op");
            return;
        }
        foreach (var field in layer.UnknownFields?.Keys.ToArray() ?? [])
            addFailure($"{name}.{field}", $"\"{field}\" is not a field of a layer; the fields are {string.Join(", ", LayerFields)}");
        if (layer.Op is null || !ShapePlan.Ops.Contains(layer.Op))
        {
            addFailure($"{name}.op", $"op must be one of {string.Join(", ", ShapePlan.Ops.Select(o => $"\"{o}\""))}; got {(layer.Op is null ? "nothing" : $"\"{(layer.Op.Length > 40 ? layer.Op[..40] : layer.Op)}\"")}");
            return;
        }
        CommonRules.AddAxisFailures((field, message) => addFailure($"{name}.{field}", message), d, layer.Padding, layer.AxisLists);
        var convolution = layer.Op is "conv" or "conv-transpose";
        foreach (var field in Sent(layer).Where(f => convolution ? !ConvFields(layer.Op).Contains(f) : ConvOnly.Contains(f)))
            addFailure($"{name}.{field}", $"{field} does not apply to a {layer.Op} layer");
    }

    private static string[] ConvFields(string op) => op == "conv"
        ? ["op", "outChannels", "kernelSize", "stride", "padding", "dilation", "groups", "bias", "paddingMode"]
        : ["op", "outChannels", "kernelSize", "stride", "padding", "dilation", "groups", "bias", "outputPadding", "outputSize"];

    // The fields a layer was sent with (a pool's own fields are judged per mode by the plan's PoolRules).
    private static IEnumerable<string> Sent(ShapeLayer layer) => typeof(ShapeLayer).GetProperties()
        .Where(p => p.CanWrite && !p.IsDefined(typeof(JsonExtensionDataAttribute), true) && p.GetValue(layer) is not null)
        .Select(p => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(p.Name));
}
