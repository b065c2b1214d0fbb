using System.Numerics;
using ConvService.Api.Contracts;
using ConvService.Api.Hosting;
using ConvService.Api.Json;
using ConvService.Api.OpenApi;
using ConvService.Api.Validation;
using ConvService.Domain.Convolution;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ConvService.Api.Endpoints;

/// <summary>POST /conv/forward and /conv/backward: PyTorch's conv2d and its gradients.</summary>
public static class ConvolutionEndpoints
{
    public static IEndpointRouteBuilder MapConvolution(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/conv")
            .WithTags("Convolution")
            .WithTensorLifetime()
            .WithRequestValidation()
            .ProducesValidationProblem();

        group.MapPost("/forward", Forward)
            .WithName(nameof(Forward))
            .WithSummary("2-D convolution (cross-correlation), as torch.nn.functional.conv2d")
            .WithDescription("out[n,o,i,j] = bias[o] + Σ_c Σ_p Σ_q in[n, g·C/groups + c, i·s − pad + p·d, j·s − pad + q·d] · kernel[o,c,p,q]. " +
                             "Output size per axis: floor((I + padBegin + padEnd − dilation·(K − 1) − 1) / stride) + 1. The prefilled example is the seed homework: a 5×5 image ⊛ a 3×3 kernel.")
            .WithRequestExample(Examples.ConvForward);

        return app;
    }

    // Runs in the request's dtype and answers in the input's wire form.
    public static Results<Ok<ConvForwardResponse>, ValidationProblem> Forward(ConvForwardRequest request, CancellationToken cancellationToken)
    {
        using var timing = ComputeMetrics.Measure("conv.forward");
        return TypedResults.Ok(request.Dtype == DType.Float32 ? Compute<float>(request, cancellationToken) : Compute<double>(request, cancellationToken));
    }

    private static ConvForwardResponse Compute<T>(ConvForwardRequest request, CancellationToken cancellationToken) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var input = request.Input!.ToTensor<T>();
        using var kernel = request.Kernel!.ToTensor<T>();
        using var bias = request.Bias?.ToTensor<T>();
        var output = Conv2d.Forward(input, kernel, bias, request.ToOptions(), cancellationToken);
        return new ConvForwardResponse(TensorResult.From(output, request.Input.Form));
    }
}
