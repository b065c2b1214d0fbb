using System.Collections.Frozen;
using System.Collections.Immutable;
using ConvService.Api.Contracts;
using ConvService.Api.Endpoints;
using ConvService.Api.Json;
using ConvService.Api.Plans;
using ConvService.Domain.Pooling;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ConvService.Api.Inference;

/// <summary>
/// The models the front door serves: every operator of the JSON routes, named as <c>torch.nn.functional</c> names it,
/// and <c>&lt;model&gt;_backward</c> for each. Each one runs its JSON route's handler.
/// </summary>
public static class InferenceModels
{
    private static readonly ImmutableArray<string> ConvParameters = ["stride", "padding", "dilation", "groups", "padding_mode"];

    private static readonly ImmutableArray<string> ConvTransposeParameters = ["stride", "padding", "output_padding", "dilation", "groups", "output_size"];

    /// <summary>Convolution in 1, 2 and 3 spatial dimensions (the /conv routes' spatialDims).</summary>
    private static readonly int[] ConvDims = [1, 2, 3];

    /// <summary>Pooling in 1, 2 and 3 spatial dimensions (the /pool routes' spatialDims).</summary>
    private static readonly int[] PoolDims = [1, 2, 3];

    public static ImmutableArray<InferenceModel> All { get; } = [.. ConvDims.SelectMany(Convolutions), .. ConvDims.SelectMany(Transposed), .. PoolDims.SelectMany(Poolings)];

    private static readonly FrozenDictionary<string, InferenceModel> ByName = All.ToFrozenDictionary(m => m.Name, StringComparer.Ordinal);

    public static InferenceModel? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>"conv1d, conv1d_backward, …": every model, for the 404 that answers an unknown one.</summary>
    public static string Names => string.Join(", ", All.Select(m => m.Name));

    private static IEnumerable<InferenceModel> Convolutions(int d)
    {
        var (input, weight) = (new ModelTensor("input", "input", ModelTensor.Free(d + 2), Required: true), new ModelTensor("weight", "kernel", ModelTensor.Free(d + 2), Required: true));
        var bias = new ModelTensor("bias", "bias", ModelTensor.Free(1));
        yield return new InferenceModel($"conv{d}d",
            ModelOperation.Of<ConvForwardRequest>((r, c) => Unwrap(ConvolutionEndpoints.Forward(r, c).Result)),
            [input, weight, bias],
            [new ModelTensor("output", "output", ModelTensor.Free(d + 2))],
            ConvParameters, d);
        yield return new InferenceModel($"conv{d}d_backward",
            ModelOperation.Of<ConvBackwardRequest>((r, c) => Unwrap(ConvolutionEndpoints.Backward(r, c).Result)),
            [input, weight, bias, new ModelTensor("grad_output", "gradOutput", ModelTensor.Free(d + 2))],
            Gradients(d),
            ConvParameters, d);
    }

    private static IEnumerable<InferenceModel> Transposed(int d)
    {
        var (input, weight) = (new ModelTensor("input", "input", ModelTensor.Free(d + 2), Required: true), new ModelTensor("weight", "kernel", ModelTensor.Free(d + 2), Required: true));
        var bias = new ModelTensor("bias", "bias", ModelTensor.Free(1));
        yield return new InferenceModel($"conv_transpose{d}d",
            ModelOperation.Of<ConvTransposeForwardRequest>((r, c) => Unwrap(ConvTransposeEndpoints.Transpose(r, c).Result)),
            [input, weight, bias],
            [new ModelTensor("output", "output", ModelTensor.Free(d + 2))],
            ConvTransposeParameters, d);
        yield return new InferenceModel($"conv_transpose{d}d_backward",
            ModelOperation.Of<ConvTransposeBackwardRequest>((r, c) => Unwrap(ConvTransposeEndpoints.TransposeBackward(r, c).Result)),
            [input, weight, bias, new ModelTensor("grad_output", "gradOutput", ModelTensor.Free(d + 2))],
            Gradients(d),
            ConvTransposeParameters, d);
    }

    private static ImmutableArray<ModelTensor> Gradients(int d) =>
        [new ModelTensor("grad_input", "gradInput", ModelTensor.Free(d + 2)), new ModelTensor("grad_weight", "gradKernel", ModelTensor.Free(d + 2)), new ModelTensor("grad_bias", "gradBias", ModelTensor.Free(1))];

    private static IEnumerable<InferenceModel> Poolings(int d)
    {
        foreach (var mode in Enum.GetValues<PoolMode>())
        {
            if (mode == PoolMode.FractionalMax && d == 1)
                continue;
            var name = $"{ProtocolNames.Snake(WireNames<PoolMode>.NameOf(mode))}_pool{d}d";
            var input = new ModelTensor("input", "input", ModelTensor.Free(d + 2), Required: true);
            var samples = new ModelTensor("random_samples", "randomSamples", [-1, -1, d]);
            ImmutableArray<ModelTensor> inputs = mode == PoolMode.FractionalMax ? [input, samples] : [input];
            var outputs = ImmutableArray.Create(new ModelTensor("output", "output", ModelTensor.Free(d + 2)));
            if (mode.IsMaxType())
                outputs = outputs.Add(new ModelTensor("indices", "indices", ModelTensor.Free(d + 2), Datatype: "INT64"));
            if (mode == PoolMode.FractionalMax)
                outputs = outputs.Add(samples);
            var metadata = new PoolModeMetadata(mode);
            yield return new InferenceModel(name,
                ModelOperation.Of<PoolForwardRequest>((r, c) => Unwrap(PoolingEndpoints.Forward(r, c).Result), metadata),
                inputs, outputs, PoolParameters(mode), d);
            yield return new InferenceModel($"{name}_backward",
                ModelOperation.Of<PoolBackwardRequest>((r, c) => Unwrap(PoolingEndpoints.Backward(r, c).Result), metadata),
                inputs.Add(new ModelTensor("grad_output", "gradOutput", ModelTensor.Free(d + 2))),
                [new ModelTensor("grad_input", "gradInput", ModelTensor.Free(d + 2))],
                PoolParameters(mode), d);
        }
    }

    /// <summary>The options PyTorch's function for <paramref name="mode"/> takes, by its own parameter names.</summary>
    private static ImmutableArray<string> PoolParameters(PoolMode mode) => mode switch
    {
        PoolMode.Max => ["kernel_size", "stride", "padding", "dilation", "ceil_mode", "return_indices"],
        PoolMode.Avg => ["kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"],
        PoolMode.Lp => ["norm_type", "kernel_size", "stride", "ceil_mode"],
        PoolMode.FractionalMax => ["kernel_size", "output_size", "output_ratio", "seed", "return_indices"],
        PoolMode.AdaptiveMax => ["output_size", "return_indices"],
        _ => ["output_size"],
    };

    // The JSON routes' handlers answer a 200 here: validation has already passed.
    private static ITensorResponse Unwrap(IResult result) => result switch
    {
        TensorOk<ConvForwardResponse> ok => ok.Value,
        TensorOk<ConvBackwardResponse> ok => ok.Value,
        TensorOk<PoolResponse> ok => ok.Value,
        TensorOk<PoolBackwardResponse> ok => ok.Value,
        ValidationProblem problem => throw new InvalidOperationException($"a validated request was refused: {string.Join("; ", problem.ProblemDetails.Errors.SelectMany(e => e.Value))}"),
        _ => throw new InvalidOperationException($"unexpected result {result.GetType().Name}"),
    };
}
