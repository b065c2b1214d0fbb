using System.Numerics;
using ConvService.Api.Contracts;
using ConvService.Api.Hosting;
using ConvService.Api.Json;
using ConvService.Api.OpenApi;
using ConvService.Api.Plans;
using ConvService.Api.Validation;
using ConvService.Domain.Convolution;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ConvService.Api.Endpoints;

/// <summary>POST /conv/forward and /conv/backward: PyTorch's conv1d/2d/3d and its gradients (and, through <see cref="ConvTransposeEndpoints"/>, the transposed forms).</summary>
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
            .WithSummary("Convolution (cross-correlation) in 1, 2 or 3 spatial dimensions, as torch.nn.functional.conv1d/2d/3d")
            .WithDescription("out[n,o,i…] = bias[o] + Σ_c Σ_p… in[n, g·C/groups + c, i·s − padBegin + p·d …] · kernel[o,c,p…]. " +
                             "Output size per axis: floor((I + padBegin + padEnd − dilation·(K − 1) − 1) / stride) + 1. spatialDims (1, 2, 3; default 2) says how many trailing axes are spatial. " +
                             "The prefilled example is the seed homework: a 5×5 image ⊛ a 3×3 kernel; the examples list holds 1-D, 3-D and SAME-padding ones.")
            .WithRequestExamples(Examples.ConvForward);

        group.MapPost("/backward", Backward)
            .WithName(nameof(Backward))
            .WithSummary("Gradients of the convolution with respect to input, kernel and bias, as PyTorch's autograd computes them")
            .WithDescription("The forward fields plus gradOutput (∂L/∂output, of the forward output's shape; all ones when absent). " +
                             "gradInput and gradKernel always, gradBias only when bias was sent; reflect, replicate and circular padding fold their gradient back onto the cells they copied. " +
                             "The prefilled example is the seed homework's backward pass.")
            .WithRequestExamples(Examples.ConvBackward);

        group.MapConvTranspose();
        return app;
    }

    // Runs in the plan's dtype and answers in the input's wire form.
    public static Results<TensorOk<ConvForwardResponse>, ValidationProblem> Forward(ConvForwardRequest request, CancellationToken cancellationToken)
    {
        var plan = request.RequirePlan();
        using var timing = ComputeMetrics.Measure("conv.forward");
        return TensorResults.Ok(plan.Dtype == DType.Float32 ? Compute<float>(request, plan, cancellationToken) : Compute<double>(request, plan, cancellationToken));
    }

    // gradOutput absent means all ones; every gradient is written in the input's wire form.
    public static Results<TensorOk<ConvBackwardResponse>, ValidationProblem> Backward(ConvBackwardRequest request, CancellationToken cancellationToken)
    {
        var plan = request.RequirePlan();
        using var timing = ComputeMetrics.Measure("conv.backward");
        return TensorResults.Ok(plan.Dtype == DType.Float32 ? ComputeGradients<float>(request, plan, cancellationToken) : ComputeGradients<double>(request, plan, cancellationToken));
    }

    private static ConvForwardResponse Compute<T>(ConvForwardRequest request, ConvPlan plan, CancellationToken cancellationToken) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var input = request.Input!.ToTensor<T>();
        using var kernel = request.Kernel!.ToTensor<T>();
        using var bias = request.Bias?.ToTensor<T>();
        return new ConvForwardResponse(TensorResult.From(Conv.Forward(plan.Geometry, input, kernel, bias, cancellationToken), request.Input.Form));
    }

    private static ConvBackwardResponse ComputeGradients<T>(ConvBackwardRequest request, ConvPlan plan, CancellationToken cancellationToken) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var input = request.Input!.ToTensor<T>();
        using var kernel = request.Kernel!.ToTensor<T>();
        using var bias = request.Bias?.ToTensor<T>();
        using var gradOutput = request.GradOutput?.ToTensor<T>();
        return ConvBackwardResponse.From(Conv.Backward(plan.Geometry, input, kernel, bias, gradOutput, cancellationToken), request.Input.Form);
    }
}
