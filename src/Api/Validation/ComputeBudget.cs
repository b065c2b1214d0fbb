using ConvService.Api.Hosting;
using FluentValidation;

namespace ConvService.Api.Validation;

/// <summary>
/// Hands validators the <see cref="ServiceLimits"/> in force. Planned requests check their limits on their plan
/// (<see cref="Plans.ConvPlan"/>); validators that still judge sizes themselves (pooling) read them here.
/// </summary>
public static class ComputeBudget
{
    /// <summary>The key under which the request filter hands validators the current limits.</summary>
    public const string LimitsKey = nameof(ServiceLimits);

    /// <summary>The limits in force for this validation (the defaults when validated outside a request).</summary>
    public static ServiceLimits LimitsOf<T>(ValidationContext<T> context) =>
        context.RootContextData.TryGetValue(LimitsKey, out var limits) && limits is ServiceLimits l ? l : Defaults;

    private static readonly ServiceLimits Defaults = new();
}
