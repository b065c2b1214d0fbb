using System.Numerics;
using ConvService.Api.Contracts;
using ConvService.Api.Hosting;
using ConvService.Api.Json;
using ConvService.Api.OpenApi;
using ConvService.Api.Plans;
using ConvService.Domain.Convolution;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ConvService.Api.Endpoints;

/// <summary>POST /conv/transpose and /conv/transpose/backward: PyTorch's conv_transpose1d/2d/3d and its gradients, on the /conv group.</summary>
public static class ConvTransposeEndpoints
{
    public static RouteGroupBuilder MapConvTranspose(this RouteGroupBuilder group)
    {
        group.MapPost("/transpose", Transpose)
            .WithName(nameof(Transpose))
            .WithSummary("Transposed convolution in 1, 2 or 3 spatial dimensions, as torch.nn.functional.conv_transpose1d/2d/3d")
            .WithDescription("The gradient of a convolution with respect to its input, used as a layer: every input cell adds its value times the kernel into the output, stride apart. " +
                             "Output size per axis: (I − 1)·stride − 2·padding + dilation·(K − 1) + outputPadding + 1; outputSize picks the output padding instead. Kernel (C, Cout/groups, k…).")
            .WithRequestExamples(Examples.ConvTranspose);

        group.MapPost("/transpose/backward", TransposeBackward)
            .WithName(nameof(TransposeBackward))
            .WithSummary("Gradients of the transposed convolution with respect to input, kernel and bias")
            .WithDescription("The /conv/transpose fields plus gradOutput (of the output's shape; all ones when absent). gradInput is the convolution of gradOutput with the kernel; gradBias only when bias was sent.")
            .WithRequestExamples(Examples.ConvTransposeBackward);
        return group;
    }

    // Runs in the plan's dtype and answers in the input's wire form.
    public static Results<TensorOk<ConvForwardResponse>, ValidationProblem> Transpose(ConvTransposeForwardRequest request, CancellationToken cancellationToken)
    {
        var plan = request.RequirePlan();
        using var timing = ComputeMetrics.Measure("conv.transpose");
        return TensorResults.Ok(plan.Dtype == DType.Float32 ? Compute<float>(request, plan, cancellationToken) : Compute<double>(request, plan, cancellationToken));
    }

    public static Results<TensorOk<ConvBackwardResponse>, ValidationProblem> TransposeBackward(ConvTransposeBackwardRequest request, CancellationToken cancellationToken)
    {
        var plan = request.RequirePlan();
        using var timing = ComputeMetrics.Measure("conv.transpose.backward");
        return TensorResults.Ok(plan.Dtype == DType.Float32 ? ComputeGradients<float>(request, plan, cancellationToken) : ComputeGradients<double>(request, plan, cancellationToken));
    }

    private static ConvForwardResponse Compute<T>(ConvTransposeForwardRequest request, ConvTransposePlan plan, CancellationToken cancellationToken) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var input = request.Input!.ToTensor<T>();
        using var kernel = request.Kernel!.ToTensor<T>();
        using var bias = request.Bias?.ToTensor<T>();
        return new ConvForwardResponse(TensorResult.From(ConvTranspose.Forward(plan.Geometry, input, kernel, bias, cancellationToken), request.Input.Form));
    }

    private static ConvBackwardResponse ComputeGradients<T>(ConvTransposeBackwardRequest request, ConvTransposePlan plan, CancellationToken cancellationToken) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var input = request.Input!.ToTensor<T>();
        using var kernel = request.Kernel!.ToTensor<T>();
        using var bias = request.Bias?.ToTensor<T>();
        using var gradOutput = request.GradOutput?.ToTensor<T>();
        return ConvBackwardResponse.From(ConvTranspose.Backward(plan.Geometry, input, kernel, bias, gradOutput, cancellationToken), request.Input.Form);
    }
}
