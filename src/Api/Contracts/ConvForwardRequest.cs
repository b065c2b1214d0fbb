using ConvService.Api.Json;

namespace ConvService.Api.Contracts;

/// <summary>A 2-D convolution (cross-correlation) with the options of PyTorch's <c>conv2d</c>.</summary>
public sealed record ConvForwardRequest : ConvRequest, IJsonBodyRequest<ConvForwardRequest>;
