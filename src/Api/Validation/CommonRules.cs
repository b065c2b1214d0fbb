using System.Text.Json.Serialization;
using ConvService.Api.Contracts;
using ConvService.Api.Wire;
using FluentValidation;

namespace ConvService.Api.Validation;

/// <summary>Rules every request shares: no unknown fields, and tensors whose values fit the requested dtype.</summary>
public static class CommonRules
{
    /// <summary>Reports each field the request type does not define, listing the ones it does.</summary>
    public static void NoUnknownFields<T>(this AbstractValidator<T> validator, Func<T, IDictionary<string, System.Text.Json.JsonElement>?> unknown)
    {
        var known = string.Join(", ", typeof(T).GetProperties()
            .Where(p => p.GetCustomAttributes(typeof(JsonExtensionDataAttribute), true).Length == 0 && p.CanWrite)
            .Select(p => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(p.Name)));
        validator.RuleFor(r => r).Custom((request, context) =>
        {
            foreach (var name in unknown(request)?.Keys ?? [])
                context.AddFailure(name.Length > 0 ? name : Errors.JsonProblems.BodyField, $"\"{name}\" is not a field of this request; the fields are {known}");
        });
    }

    /// <summary>With dtype float32, every finite value must stay finite when rounded to float32.</summary>
    public static void AddFloat32RangeFailures(Action<string, string> addFailure, string field, RequestTensor? tensor, DType? dtype)
    {
        if (dtype != DType.Float32 || tensor is null)
            return;
        var i = tensor.FirstFloat32Overflow();
        if (i >= 0)
            addFailure(field, $"{field} element {i} = {tensor.Data[i]:R} overflows float32 (largest ±{float.MaxValue:R}); send \"Infinity\" to mean it or use dtype \"float64\"");
    }
}
