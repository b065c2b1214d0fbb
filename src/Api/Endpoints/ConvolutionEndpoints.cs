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

        group.MapPost("/backward", Backward)
            .WithName(nameof(Backward))
            .WithSummary("Gradients of the 2-D convolution with respect to input, kernel and bias, as PyTorch's autograd computes them")
            .WithDescription("The forward fields plus gradOutput (∂L/∂output, of the forward output's shape; all ones when absent). " +
                             "gradInput and gradKernel always, gradBias only when bias was sent; reflect, replicate and circular padding fold their gradient back onto the cells they copied. " +
                             "The prefilled example is the seed homework's backward pass.")
            .WithRequestExample(Examples.ConvBackward);

        return app;
    }

    // Runs in the request's dtype and answers in the input's wire form.
    public static Results<TensorOk<ConvForwardResponse>, ValidationProblem> Forward(ConvForwardRequest request, CancellationToken cancellationToken)
    {
        using var timing = ComputeMetrics.Measure("conv.forward");
        return TensorResults.Ok(request.Dtype == DType.Float32 ? Compute<float>(request, cancellationToken) : Compute<double>(request, cancellationToken));
    }

    // gradOutput absent means all ones; every gradient is written in the input's wire form.
    public static Results<TensorOk<ConvBackwardResponse>, ValidationProblem> Backward(ConvBackwardRequest request, CancellationToken cancellationToken)
    {
        using var timing = ComputeMetrics.Measure("conv.backward");
        return TensorResults.Ok(request.Dtype == DType.Float32 ? ComputeGradients<float>(request, cancellationToken) : ComputeGradients<double>(request, cancellationToken));
    }

    private static ConvForwardResponse Compute<T>(ConvForwardRequest request, CancellationToken cancellationToken) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var input = request.Input!.ToTensor<T>();
        using var kernel = request.Kernel!.ToTensor<T>();
        using var bias = request.Bias?.ToTensor<T>();
        var output = Conv.Forward(input, kernel, bias, request.ToOptions(), cancellationToken);
        return new ConvForwardResponse(TensorResult.From(output, request.Input.Form));
    }

    private static ConvBackwardResponse ComputeGradients<T>(ConvBackwardRequest request, CancellationToken cancellationToken) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var input = request.Input!.ToTensor<T>();
        using var kernel = request.Kernel!.ToTensor<T>();
        using var bias = request.Bias?.ToTensor<T>();
        using var gradOutput = request.GradOutput?.ToTensor<T>();
        var gradients = Conv.Backward(input, kernel, bias, gradOutput, request.ToOptions(), cancellationToken);
        var form = request.Input.Form;
        return new ConvBackwardResponse(TensorResult.From(gradients.GradInput, form), TensorResult.From(gradients.GradKernel, form),
            gradients.GradBias is null ? null : TensorResult.From(gradients.GradBias, form));
    }
}
