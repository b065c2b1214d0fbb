using System.Numerics;
using ConvService.Api.Contracts;
using ConvService.Api.Hosting;
using ConvService.Api.Json;
using ConvService.Api.OpenApi;
using ConvService.Api.Validation;
using ConvService.Domain.Pooling;
using ConvService.Domain.Tensors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ConvService.Api.Endpoints;

/// <summary>POST /pool/{mode} and /pool/{mode}/backward for the six pooling modes of torch.nn.functional.</summary>
public static class PoolingEndpoints
{
    public static IEndpointRouteBuilder MapPooling(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Routes.Pool)
            .WithTags("Pooling")
            .WithTensorLifetime()
            .WithRequestValidation()
            .ProducesValidationProblem();

        foreach (var mode in Enum.GetValues<PoolMode>())
        {
            var name = WireEnumConverter<PoolMode>.NameOf(mode);
            group.MapPost($"/{name}", (PoolForwardRequest request, CancellationToken cancellationToken) => Forward(mode, request, cancellationToken))
                .WithName($"{mode}Pool")
                .WithSummary(PoolDocs.Summary(mode))
                .WithDescription(PoolDocs.Description(mode))
                .WithMetadata(new PoolModeMetadata(mode))
                .WithRequestExample(() => PoolExamples.Forward(mode));
            group.MapPost($"/{name}/backward", (PoolBackwardRequest request, CancellationToken cancellationToken) => Backward(mode, request, cancellationToken))
                .WithName($"{mode}PoolBackward")
                .WithSummary($"Gradient of {name} pooling with respect to the input")
                .WithDescription("The forward fields plus gradOutput (all ones when absent). " + PoolDocs.Gradient(mode))
                .WithMetadata(new PoolModeMetadata(mode))
                .WithRequestExample(() => PoolExamples.Forward(mode));
        }
        group.MapPost("/{mode}", UnknownMode).ExcludeFromDescription();
        group.MapPost("/{mode}/backward", UnknownMode).ExcludeFromDescription();
        return app;
    }

    // Runs in the request's dtype and answers in the input's wire form.
    public static Results<TensorOk<PoolResponse>, ValidationProblem> Forward(PoolMode mode, PoolForwardRequest request, CancellationToken cancellationToken)
    {
        using var timing = ComputeMetrics.Measure($"pool.{WireEnumConverter<PoolMode>.NameOf(mode)}");
        return TensorResults.Ok(request.Dtype == DType.Float32 ? ComputeForward<float>(mode, request, cancellationToken) : ComputeForward<double>(mode, request, cancellationToken));
    }

    public static Results<TensorOk<PoolBackwardResponse>, ValidationProblem> Backward(PoolMode mode, PoolBackwardRequest request, CancellationToken cancellationToken)
    {
        using var timing = ComputeMetrics.Measure($"pool.{WireEnumConverter<PoolMode>.NameOf(mode)}.backward");
        return TensorResults.Ok(request.Dtype == DType.Float32 ? ComputeBackward<float>(mode, request, cancellationToken) : ComputeBackward<double>(mode, request, cancellationToken));
    }

    /// <summary>
    /// A mode that is not one of the six: 404 naming the valid modes. A known mode lands here only when routing
    /// passed over its endpoint because the body is not JSON, so it gets the 415 that endpoint would have given.
    /// </summary>
    public static ProblemHttpResult UnknownMode(string mode) => WireEnumConverter<PoolMode>.Names.Contains(mode)
        ? TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The request body must be JSON.", detail: "Send the body with Content-Type: application/json.")
        : TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Unknown pooling mode.",
        detail: $"\"{(mode.Length > 40 ? mode[..40] : mode)}\" is not a pooling mode; the modes are {string.Join(", ", WireEnumConverter<PoolMode>.Names)}",
        extensions: new Dictionary<string, object?> { ["modes"] = WireEnumConverter<PoolMode>.Names });

    private static PoolResponse ComputeForward<T>(PoolMode mode, PoolRequest request, CancellationToken cancellationToken) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var input = request.Input!.ToTensor<T>();
        using var samples = request.RandomSamples?.ToTensor<T>();
        var result = Pool.Forward(mode, input, request.ToOptions(), samples, cancellationToken);
        var form = request.Input.Form;
        return new PoolResponse(
            TensorResult.From(result.Output, form),
            result.Indices is null ? null : TensorResult.From(Positions(result.Indices, result.Output.Shape), form),
            result.Samples is null ? null : TensorResult.From(result.Samples, form));
    }

    private static PoolBackwardResponse ComputeBackward<T>(PoolMode mode, PoolBackwardRequest request, CancellationToken cancellationToken) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var input = request.Input!.ToTensor<T>();
        using var samples = request.RandomSamples?.ToTensor<T>();
        using var gradOutput = request.GradOutput?.ToTensor<T>();
        var gradInput = Pool.Backward(mode, input, gradOutput, request.ToOptions(), samples, cancellationToken);
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
