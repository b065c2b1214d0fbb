using System.Collections.Frozen;
using System.Text.Json;
using ConvService.Api.Contracts;
using ConvService.Api.Endpoints;
using ConvService.Api.Hosting;
using ConvService.Api.Json;
using ConvService.Api.Plans;
using ConvService.Api.Validation;
using ConvService.Domain.Pooling;
using FluentValidation;

namespace ConvService.Api.Learn;

/// <summary>
/// A route /check grades, as its endpoint serves it: how its body reads, its field rules (its own validator), the
/// metadata its plan reads (a pool route's mode), the fields its response may hold, and its handler.
/// </summary>
public sealed record CheckedRoute(
    string Operation,
    IReadOnlyList<string> Fields,
    Func<JsonElement, JsonSerializerOptions, ServiceLimits, IPlannedRequest?> Read,
    IValidator Validator,
    EndpointMetadataCollection Metadata,
    Func<IPlannedRequest, CancellationToken, IResult> Compute);

/// <summary>Every conv and pool route, by its path.</summary>
public static class CheckedRoutes
{
    public static readonly FrozenDictionary<string, CheckedRoute> All = Routes().ToFrozenDictionary(r => r.Operation, StringComparer.Ordinal);

    private static IEnumerable<CheckedRoute> Routes()
    {
        var none = EndpointMetadataCollection.Empty;
        yield return Route<ConvForwardRequest>(Endpoints.Routes.ConvForward, ["output"], new ConvForwardRequestValidator(), none, (r, ct) => ConvolutionEndpoints.Forward(r, ct).Result);
        yield return Route<ConvBackwardRequest>(Endpoints.Routes.ConvBackward, ["gradInput", "gradKernel", "gradBias"], new ConvBackwardRequestValidator(), none, (r, ct) => ConvolutionEndpoints.Backward(r, ct).Result);
        yield return Route<ConvTransposeForwardRequest>(Endpoints.Routes.ConvTranspose, ["output"], new ConvTransposeForwardRequestValidator(), none, (r, ct) => ConvTransposeEndpoints.Transpose(r, ct).Result);
        yield return Route<ConvTransposeBackwardRequest>(Endpoints.Routes.ConvTransposeBackward, ["gradInput", "gradKernel", "gradBias"], new ConvTransposeBackwardRequestValidator(), none,
            (r, ct) => ConvTransposeEndpoints.TransposeBackward(r, ct).Result);
        foreach (var mode in Enum.GetValues<PoolMode>())
        {
            var metadata = new EndpointMetadataCollection(new PoolModeMetadata(mode));
            yield return Route<PoolForwardRequest>($"{Endpoints.Routes.Pool}/{mode.WireName()}", ["output", "indices", "randomSamples"], new PoolForwardRequestValidator(), metadata,
                (r, ct) => PoolingEndpoints.Forward(r, ct).Result);
            yield return Route<PoolBackwardRequest>($"{Endpoints.Routes.Pool}/{mode.WireName()}/backward", ["gradInput"], new PoolBackwardRequestValidator(), metadata,
                (r, ct) => PoolingEndpoints.Backward(r, ct).Result);
        }
    }

    private static CheckedRoute Route<T>(string operation, string[] fields, IValidator validator, EndpointMetadataCollection metadata, Func<T, CancellationToken, IResult> compute)
        where T : class, IPlannedRequest, IJsonBodyRequest<T> =>
        new(operation, fields, (body, options, limits) => JsonBody.Read<T>(System.Text.Encoding.UTF8.GetBytes(body.GetRawText()), options, limits.MaxElementsPerTensor, limits.MaxElementsPerRequest),
            validator, metadata, (request, ct) => compute((T)request, ct));
}
