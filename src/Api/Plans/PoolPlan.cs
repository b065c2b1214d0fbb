using ConvService.Api.Contracts;
using ConvService.Api.Hosting;
using ConvService.Domain.Pooling;
using ConvService.Domain.Tensors;

namespace ConvService.Api.Plans;

/// <summary>The mode of a /pool route, as endpoint metadata its plan reads.</summary>
public sealed record PoolModeMetadata(PoolMode Mode)
{
    /// <summary>The mode of the endpoint whose metadata this is.</summary>
    /// <exception cref="InvalidOperationException">The endpoint carries no mode: a pool request planned outside a /pool route, a bug of ours.</exception>
    public static PoolMode Of(EndpointMetadataCollection metadata) =>
        metadata.GetMetadata<PoolModeMetadata>()?.Mode ?? throw new InvalidOperationException("a pool request was planned on an endpoint without PoolModeMetadata");
}

/// <summary>What a pooling request asks, whatever its wire: the mode, the shapes, the options as given and the dtype.</summary>
public readonly record struct PoolCall(PoolMode Mode, TensorShape Input, TensorShape? RandomSamples, PoolOptions Options, DType Dtype);

/// <summary>
/// A pooling call resolved once (/pool/{mode}, /pool/{mode}/backward, and any other door to the pooling operators):
/// the Domain geometry, the dtype, the cost, and what the output carries besides the pooled tensor; or every rule and
/// limit the request breaks.
/// </summary>
/// <param name="Geometry">The input's layout and every axis's windows: padding, kernel, stride, dilation, output size.</param>
/// <param name="Dtype">The precision the computation runs in.</param>
/// <param name="Cost">Work: the window reads (twice that backward: the windows are read again to route the gradient).</param>
/// <param name="ReturnIndices">max-type modes: also answer the argmax positions.</param>
/// <param name="Seed">fractional-max without randomSamples: the seed the samples are drawn from (none: drawn at random).</param>
public sealed record PoolPlan(PoolGeometry Geometry, DType Dtype, Cost Cost, bool ReturnIndices, int? Seed) : IPlan
{
    /// <summary>Plans a pooling call.</summary>
    public static PlanResult<PoolPlan> Forward(PoolCall call, ServiceLimits limits)
    {
        if (PoolGeometry.TryCreate(call.Mode, call.Input, call.Options, call.RandomSamples, out var problems) is not { } geometry)
            return PlanResult<PoolPlan>.Failed(problems);
        var indices = call.Mode.IsMaxType() && call.Options.ReturnIndices == true;
        var outputs = Elements(geometry.OutputShape) * (indices ? 2 : 1) + (call.Mode == PoolMode.FractionalMax ? Elements(geometry.SamplesShape) : 0);
        var cost = new Cost(geometry.WindowReads, Elements(call.Input, call.RandomSamples), outputs);
        return Check(geometry, call.Options, limits, cost, "") ?? new PoolPlan(geometry, call.Dtype, cost, indices, call.Options.Seed);
    }

    /// <summary>Plans the gradient of a pooling call; <paramref name="gradOutput"/> (when sent) must have the output's shape.</summary>
    public static PlanResult<PoolPlan> Backward(PoolCall call, TensorShape? gradOutput, ServiceLimits limits)
    {
        if (PoolGeometry.TryCreate(call.Mode, call.Input, call.Options, call.RandomSamples, out var problems) is not { } geometry)
            return PlanResult<PoolPlan>.Failed(problems);
        if (gradOutput is { } grad && PoolRules.CheckGradOutput(geometry.OutputShape, grad) is { } problem)
            return PlanResult<PoolPlan>.Failed([problem]);
        var work = geometry.WindowReads > long.MaxValue / 2 ? long.MaxValue : 2 * geometry.WindowReads;
        var cost = new Cost(work, Elements(call.Input, call.RandomSamples, geometry.OutputShape), Elements(call.Input));
        return Check(geometry, call.Options, limits, cost, " (and again to route the gradient)") ?? new PoolPlan(geometry, call.Dtype, cost, false, call.Options.Seed);
    }

    /// <summary>The first limit the call would break: the output per tensor, the work per request; named by the field that sizes the output.</summary>
    private static PlanResult<PoolPlan>? Check(PoolGeometry g, PoolOptions options, ServiceLimits limits, Cost cost, string again)
    {
        var field = options.OutputRatio is not null ? "outputRatio" : options.OutputSize is not null ? "outputSize" : "kernelSize";
        var outputs = g.OutputShape.ElementCount ?? long.MaxValue;
        if (outputs > limits.MaxOutputElements)
            return PlanResult<PoolPlan>.Failed(field, $"the output {g.OutputShape} would hold {outputs} elements; the limit is {limits.MaxOutputElements}");
        if (cost.Work > limits.MaxWork)
            return PlanResult<PoolPlan>.Failed(field, $"the windows of the output {g.OutputShape} read {g.WindowReads} input elements{again}; the limit per request is {limits.MaxWork}");
        return null;
    }

    private static long Elements(params ReadOnlySpan<TensorShape?> shapes) => ConvPlan.Elements(shapes);
}
