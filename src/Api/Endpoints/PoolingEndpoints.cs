using System.Numerics;
using ConvService.Api.Contracts;
using ConvService.Api.Hosting;
using ConvService.Api.Json;
using ConvService.Api.OpenApi;
using ConvService.Api.Plans;
using ConvService.Api.Validation;
using ConvService.Domain.Pooling;
using ConvService.Domain.Tensors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ConvService.Api.Endpoints;

/// <summary>POST /pool/{mode} and /pool/{mode}/backward: the six pooling modes of torch.nn.functional in 1, 2 and 3 spatial dimensions.</summary>
public static class PoolingEndpoints
{
    public static IEndpointRouteBuilder MapPooling(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Routes.Pool)
            .WithTags("Pooling")
            .WithTensorLifetime()
            .WithRequestValidation()
            .WithComputeSlot()
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesValidationProblem();

        foreach (var mode in Enum.GetValues<PoolMode>())
        {
            var name = WireNames<PoolMode>.NameOf(mode);
            group.MapPost($"/{name}", Forward)
                .WithName($"{mode}Pool")
                .WithSummary(PoolDocs.Summary(mode))
                .WithDescription(PoolDocs.Description(mode))
                .WithMetadata(new PoolModeMetadata(mode))
                .WithRequestExamples(() => PoolExamples.Forward(mode));
            group.MapPost($"/{name}/backward", Backward)
                .WithName($"{mode}PoolBackward")
                .WithSummary($"Gradient of {name} pooling with respect to the input")
                .WithDescription("The forward fields plus gradOutput (all ones when absent). " + PoolDocs.Gradient(mode))
                .WithMetadata(new PoolModeMetadata(mode))
                .WithRequestExamples(() => PoolExamples.Forward(mode));
        }
        group.MapPoolExplain();
        group.MapPost("/{mode}", UnknownMode).ExcludeFromDescription();
        group.MapPost("/{mode}/backward", UnknownMode).ExcludeFromDescription();
        return app;
    }

    // Runs in the plan's dtype over the plan's geometry and answers in the input's wire form.
    public static Results<TensorOk<PoolResponse>, ValidationProblem> Forward(PoolForwardRequest request, CancellationToken cancellationToken)
    {
        var plan = request.RequirePlan();
        using var timing = ComputeMetrics.Measure($"pool.{plan.Geometry.Mode.WireName()}");
        return TensorResults.Ok(plan.Dtype == DType.Float32 ? ComputeForward<float>(request, plan, cancellationToken) : ComputeForward<double>(request, plan, cancellationToken));
    }

    public static Results<TensorOk<PoolBackwardResponse>, ValidationProblem> Backward(PoolBackwardRequest request, CancellationToken cancellationToken)
    {
        var plan = request.RequirePlan();
        using var timing = ComputeMetrics.Measure($"pool.{plan.Geometry.Mode.WireName()}.backward");
        return TensorResults.Ok(plan.Dtype == DType.Float32 ? ComputeBackward<float>(request, plan, cancellationToken) : ComputeBackward<double>(request, plan, cancellationToken));
    }

    /// <summary>
    /// A mode that is not one of the six: 404 naming the valid modes. A known mode lands here only when routing
    /// passed over its endpoint because the body is not JSON, so it gets the 415 that endpoint would have given.
    /// </summary>
    public static ProblemHttpResult UnknownMode(string mode) => WireNames<PoolMode>.Names.Contains(mode)
        ? TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The request body must be JSON.", detail: "Send the body with Content-Type: application/json.")
        : TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Unknown pooling mode.",
        detail: $"\"{(mode.Length > 40 ? mode[..40] : mode)}\" is not a pooling mode; the modes are {string.Join(", ", WireNames<PoolMode>.Names)}",
        extensions: new Dictionary<string, object?> { ["modes"] = WireNames<PoolMode>.Names });

    private static PoolResponse ComputeForward<T>(PoolRequest request, PoolPlan plan, CancellationToken cancellationToken) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var input = request.Input!.ToTensor<T>();
        using var samples = request.RandomSamples?.ToTensor<T>();
        var result = Pool.Forward(plan.Geometry, input, plan.ReturnIndices, plan.Seed, samples, cancellationToken);
        var form = request.Input.Form;
        return new PoolResponse(
            TensorResult.From(result.Output, form),
            result.Indices is null ? null : TensorResult.From(Positions(result.Indices, result.Output.Shape), form),
            result.Samples is null ? null : TensorResult.From(result.Samples, form));
    }

    private static PoolBackwardResponse ComputeBackward<T>(PoolBackwardRequest request, PoolPlan plan, CancellationToken cancellationToken) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var input = request.Input!.ToTensor<T>();
        using var samples = request.RandomSamples?.ToTensor<T>();
        using var gradOutput = request.GradOutput?.ToTensor<T>();
        var gradInput = Pool.Backward(plan.Geometry, input, gradOutput, plan.Seed, samples, cancellationToken);
        return new PoolBackwardResponse(TensorResult.From(gradInput, request.Input.Form));
    }

    // Indices go out as JSON integers; a double holds every plane position exactly.
    private static Tensor<double> Positions(int[] indices, TensorShape shape)
    {
        var tensor = Tensor<double>.Uninitialized(shape);
        for (var i = 0; i < indices.Length; i++)
            tensor.Span[i] = indices[i];
        return tensor;
    }
}
