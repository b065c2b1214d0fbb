using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using ConvService.Api.Contracts;
using ConvService.Api.Json;
using ConvService.Api.Wire;
using ConvService.Domain.Geometry;
using FluentValidation;

namespace ConvService.Api.Validation;

/// <summary>Rules every request shares: no unknown fields, a spatialDims of 1, 2 or 3 with per-axis lists of that length, and tensors whose values fit the requested dtype.</summary>
public static class CommonRules
{
    /// <summary>Reports each field the request type does not define, listing the ones it does.</summary>
    public static void NoUnknownFields<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(this AbstractValidator<T> validator, Func<T, IDictionary<string, System.Text.Json.JsonElement>?> unknown)
    {
        var known = string.Join(", ", typeof(T).GetProperties()
            .Where(p => p.CanWrite && !p.IsDefined(typeof(JsonExtensionDataAttribute), true) && !p.IsDefined(typeof(JsonIgnoreAttribute), true))
            .Select(p => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(p.Name)));
        validator.RuleFor(r => r).Custom((request, context) =>
        {
            foreach (var name in unknown(request)?.Keys ?? [])
                context.AddFailure(name.Length > 0 ? name : Errors.JsonProblems.BodyField, $"\"{name}\" is not a field of this request; the fields are {known}");
        });
    }

    /// <summary>
    /// Reports a spatialDims other than 1, 2 or 3 and every per-axis list without that many entries (padding's list in 1-D
    /// with a hint for a [begin, end] pair that lost its brackets).
    /// </summary>
    public static void AddAxisFailures(Action<string, string> addFailure, int? spatialDims, PaddingValue? padding, params (string Field, int? Count)[] lists)
    {
        var d = spatialDims ?? 2;
        if (d is < 1 or > SpatialLayout.MaxSpatialDims)
        {
            addFailure("spatialDims", $"spatialDims must be 1 (L), 2 (H, W) or 3 (D, H, W); got {d}");
            return;
        }
        foreach (var (field, count) in lists)
        {
            if (count is { } n && SpatialLayout.ListProblem(field, n, d) is { } problem)
                addFailure(problem.Parameter, problem.Message);
        }
        if (padding?.Count is { } p && SpatialLayout.ListProblem("padding", p, d) is { } paddingProblem)
        {
            var pair = d == 1 && p == 2 && padding is { HasPairs: false } ? $"; a [begin, end] pair in 1-D is written [{padding}]" : "";
            addFailure(paddingProblem.Parameter, paddingProblem.Message + pair);
        }
    }

    /// <summary>Whether <see cref="AddAxisFailures"/> would report nothing: the request's axes can be resolved and planned.</summary>
    public static bool AxesFit(int? spatialDims, PaddingValue? padding, params (string Field, int? Count)[] lists)
    {
        var d = spatialDims ?? 2;
        if (d is < 1 or > SpatialLayout.MaxSpatialDims || padding?.Count is { } p && p != d)
            return false;
        foreach (var (_, count) in lists)
        {
            if (count is { } n && n != d)
                return false;
        }
        return true;
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
