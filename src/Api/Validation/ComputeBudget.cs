using ConvService.Api.Hosting;
using ConvService.Domain.Geometry;
using ConvService.Domain.Pooling;
using FluentValidation;

namespace ConvService.Api.Validation;

/// <summary>
/// Hands validators the <see cref="ServiceLimits"/> in force. Planned requests check their limits on their plan
/// (<see cref="Plans.ConvPlan"/>); validators that still judge sizes themselves (pooling: <see cref="CheckPooling"/>) read them here.
/// </summary>
public static class ComputeBudget
{
    /// <summary>The key under which the request filter hands validators the current limits.</summary>
    public const string LimitsKey = nameof(ServiceLimits);

    /// <summary>The limits in force for this validation (the defaults when validated outside a request).</summary>
    public static ServiceLimits LimitsOf<T>(ValidationContext<T> context) =>
        context.RootContextData.TryGetValue(LimitsKey, out var limits) && limits is ServiceLimits l ? l : Defaults;

    private static readonly ServiceLimits Defaults = new();

    /// <summary>
    /// Reports the first limit a pooling with a valid geometry would break: its output elements (named by
    /// <paramref name="outputField"/>, the field that sized it), then its window reads (named by
    /// <paramref name="windowField"/>).
    /// </summary>
    public static void CheckPooling(PoolGeometry geometry, string outputField, string windowField, ServiceLimits limits, Action<string, string> addFailure)
    {
        var outputs = geometry.OutputShape.ElementCount ?? long.MaxValue;
        if (outputs > limits.MaxOutputElements)
        {
            addFailure(outputField, $"the output {geometry.OutputShape} would hold {outputs} elements; the limit is {limits.MaxOutputElements}");
            return;
        }
        var window = WindowCells(geometry.Axes[0]) * WindowCells(geometry.Axes[1]);
        var reads = outputs * window;
        if (reads > limits.MaxWork)
            addFailure(windowField, $"{outputs} output elements over windows of up to {WindowCells(geometry.Axes[0])}×{WindowCells(geometry.Axes[1])} input cells need {reads} window reads; the limit per request is {limits.MaxWork}");
    }

    /// <summary>
    /// The most input cells one window of an axis reads: the kernel's taps, never more than the input holds; an
    /// adaptive window (Kernel 0) spans at most ceil(I / O) + 1 cells.
    /// </summary>
    private static Int128 WindowCells(WindowAxis axis) => axis.Kernel > 0
        ? Math.Min(axis.Kernel, axis.Input)
        : Math.Min(axis.Input, (axis.Input + (long)axis.Output - 1) / axis.Output + 1);
}
