using ConvService.Api.Json;

namespace ConvService.Api.Contracts;

/// <summary>The gradients of a 2-D convolution: the forward fields plus the gradient flowing back into its output.</summary>
public sealed record ConvBackwardRequest : ConvRequest, IJsonBodyRequest<ConvBackwardRequest>
{
    /// <summary>∂L/∂output, of the forward output's shape. Optional: absent means all ones (the gradient of the output's sum).</summary>
    public JsonTensor? GradOutput { get; init; }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        GradOutput?.Dispose();
    }
}
